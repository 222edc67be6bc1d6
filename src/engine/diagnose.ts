import { CAUSE_IDS as CAUSE_ORDER } from '../ids.js';
import type { CauseId, Diagnosis, Evidence, Finding, Remediation, RuleHits, Stats } from '../schema.js';
import type { RuleHit } from './match.js';
import type { CauseInfo, CompiledRule } from './types.js';
import { explainsRecord } from './explained.js';
import { CREATE_ON_MOUNT_WITH_ROOM, CREATE_OPS, INODES_FULL_PERCENT, MAX_MOUNTS, MAX_PATHS, PATH_ON_MOUNT_WITH_ROOM, ROOM_PERCENT, mountOf, resolvedPath } from './mounts.js';
import { OPPOSE_WEIGHT, REPEAT_BONUS, SUPPORT_PROBABILITY, compareStrength } from './strength.js';

/** How many records per rule are kept as evidence: the first few and the last few. */
export const EVIDENCE_HEAD = 3;
export const EVIDENCE_TAIL = 2;

interface RuleTally {
  readonly rule: CompiledRule;
  records: number;
  occurrences: number;
  /**
   * Records on which this rule was the strongest of its cause. Rules that only ever fire next to a
   * stronger rule of the same cause on the same record are not independent evidence.
   */
  leads: number;
  readonly head: Evidence[];
  /**
   * The most recent hits beyond the head, oldest first. Kept raw: most are pushed out again, so
   * their Evidence (and its redaction) is only built in `finish` for the few that stay.
   */
  readonly tail: Pending[];
}

interface Pending {
  readonly line: number;
  readonly raw: string;
  readonly fields: RuleHit['fields'];
}

export interface AccumulatorOptions {
  readonly minConfidence: number;
  readonly redact?: ((evidence: Evidence) => Evidence) | undefined;
}

/** Collects rule hits record by record in bounded memory, then scores them into a Diagnosis. */
export interface Accumulator {
  /** Adds the hits of one record. `raw` is the record's capped raw text. */
  add(line: number, raw: string, hits: readonly RuleHit[]): void;
  finish(stats: Stats): Diagnosis;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function createAccumulator(causes: ReadonlyMap<CauseId, CauseInfo>, options: AccumulatorOptions): Accumulator {
  const tallies = new Map<string, RuleTally>();
  /** Context rules that matched somewhere: they only enable other rules' `requires`. */
  const contexts = new Set<string>();
  /** Per context rule, the number of the last record it matched in (records counted by `add`). */
  const contextSeen = new Map<string, number>();
  let records = 0;

  /** df rows read as context (see mounts.ts): mount point → Use% (or IUse%) and the rule that read it. */
  const blockUse = new Map<string, { percent: number; rule: CompiledRule }>();
  const inodeUse = new Map<string, { percent: number; rule: CompiledRule }>();
  /**
   * Records a disk-full rule read as an ENOSPC creating something at an absolute path, one per
   * record. Only creates: a write that filled the disk is often followed by a df taken after the
   * failed job's files were removed (an image pull, a build), which then shows room.
   */
  const failing: { line: number; raw: string; path: string }[] = [];

  function noteContext(hit: RuleHit): void {
    const { mount, percent } = hit.fields;
    if (typeof mount !== 'string' || typeof percent !== 'number') return;
    const use = hit.rule.cause === 'disk-full' ? blockUse : hit.rule.cause === 'inode-exhaustion' ? inodeUse : undefined;
    if (use !== undefined && (use.size < MAX_MOUNTS || use.has(mount))) use.set(mount, { percent, rule: hit.rule });
  }

  function noteFailing(line: number, raw: string, hits: readonly RuleHit[]): void {
    if (failing.length >= MAX_PATHS) return;
    for (const h of hits) {
      const path = h.fields.path;
      if (h.rule.cause !== 'disk-full' || h.rule.effect !== 'supports' || typeof path !== 'string' || !path.startsWith('/')) continue;
      const op = h.fields.opClass;
      if (typeof op === 'string' && CREATE_OPS.has(op)) failing.push({ line, raw, path });
      return;
    }
  }

  /** The last record in which one of `rule`'s required contexts matched, or -1. */
  function lastContext(rule: CompiledRule): number {
    let last = -1;
    for (const id of rule.requires ?? []) last = Math.max(last, contextSeen.get(id) ?? -1);
    return last;
  }

  function record(hit: RuleHit, line: number, raw: string, lead: boolean): void {
    const rule = hit.rule;
    let t = tallies.get(rule.id);
    if (t === undefined) {
      t = { rule, records: 0, occurrences: 0, leads: 0, head: [], tail: [] };
      tallies.set(rule.id, t);
    }
    t.records += 1;
    if (lead) t.leads += 1;
    t.occurrences += typeof hit.fields.count === 'number' && hit.fields.count > 1 ? hit.fields.count : 1;
    if (t.head.length < EVIDENCE_HEAD) t.head.push(evidence(rule, line, raw, hit.fields));
    else {
      t.tail.push({ line, raw, fields: hit.fields });
      if (t.tail.length > EVIDENCE_TAIL) t.tail.shift();
    }
  }

  function evidence(rule: CompiledRule, line: number, raw: string, fields: RuleHit['fields']): Evidence {
    const ev: Evidence = { line, raw, rule: rule.id, cause: rule.cause, effect: rule.effect, strength: rule.strength, fields };
    return options.redact !== undefined ? options.redact(ev) : ev;
  }

  return {
    add(line, raw, recordHits) {
      let hits = recordHits;
      let n = hits.length;
      if (n === 0) return;
      records++;
      for (let i = 0; i < n; i++) if (hits[i]!.rule.effect === 'context') contextSeen.set(hits[i]!.rule.id, records);
      // One record read by rules that need different contexts (a unit-less df row is a block row
      // under a `1K-blocks` header and an inode row under an `IUsed` header): it is read under the
      // context seen last, as a table row belongs to the header above it. With none seen yet, all stay.
      let ambiguous = 0;
      for (let i = 0; i < n; i++) if (hits[i]!.rule.requires !== undefined) ambiguous++;
      if (ambiguous > 1) {
        let latest = -1;
        for (let i = 0; i < n; i++) if (hits[i]!.rule.requires !== undefined) latest = Math.max(latest, lastContext(hits[i]!.rule));
        if (latest >= 0) {
          hits = hits.filter((h) => h.rule.requires === undefined || lastContext(h.rule) === latest);
          n = hits.length;
        }
      }
      // A fallback rule (generic ENOSPC) only speaks for records no specific rule explained: a
      // supporting rule, or a decisive opposing one (the record is known not to be a limit at all,
      // e.g. a write to /dev/full). A rule with `requires` may still be dropped in `finish` (its
      // context never shows up), so it neither explains a record nor takes the lead from an
      // unconditional rule.
      let explained = false;
      for (let i = 0; i < n; i++) {
        const r = hits[i]!.rule;
        if (explainsRecord(r)) {
          explained = true;
          break;
        }
      }
      for (let i = 0; i < n; i++) {
        const hit = hits[i]!;
        const r = hit.rule;
        if (r.fallback && explained) continue;
        if (r.effect === 'context') {
          contexts.add(r.id);
          noteContext(hit);
          continue;
        }
        // It leads its cause/effect when no other counted hit of the same is stronger (ties: the
        // lower id, then the earlier hit) — a few hits per record, so no map.
        let lead = true;
        for (let j = 0; j < n && lead; j++) {
          if (j === i) continue;
          const o = hits[j]!.rule;
          if (o.effect !== r.effect || o.cause !== r.cause || (o.fallback && explained)) continue;
          if (o.requires !== undefined && r.requires === undefined) continue;
          const c = compareStrength(o.strength, r.strength);
          if (c > 0 || (c === 0 && (o.id < r.id || (o.id === r.id && j < i && o !== r)))) lead = false;
        }
        record(hit, line, raw, lead);
      }
      noteFailing(line, raw, hits);
    },
    finish(stats) {
      const read = (rule: CompiledRule): boolean => rule.requires === undefined || rule.requires.some((id) => contexts.has(id) || tallies.has(id));
      // An ENOSPC on a path whose mount df shows with blocks free (mounts.ts).
      const roomy = [...blockUse].filter(([, u]) => read(u.rule)).map(([m]) => m);
      for (const f of failing) {
        const mount = mountOf(resolvedPath(f.path), roomy);
        if (mount === undefined) continue;
        const percent = blockUse.get(mount)!.percent;
        if (percent > ROOM_PERCENT) continue;
        const fields = { format: 'plain', path: f.path, mount, percent } as RuleHit['fields'];
        record({ rule: PATH_ON_MOUNT_WITH_ROOM, fields }, f.line, f.raw, true);
        const inodes = inodeUse.get(mount);
        const inodesLeft = inodes !== undefined && read(inodes.rule) && inodes.percent < INODES_FULL_PERCENT;
        if (!inodesLeft) record({ rule: CREATE_ON_MOUNT_WITH_ROOM, fields }, f.line, f.raw, true);
      }
      const fired = new Set([...tallies.keys(), ...contexts]);
      const perCause = new Map<CauseId, RuleTally[]>();
      for (const t of tallies.values()) {
        const req = t.rule.requires;
        if (req !== undefined && !req.some((id) => fired.has(id) && id !== t.rule.id)) continue;
        const list = perCause.get(t.rule.cause) ?? [];
        list.push(t);
        perCause.set(t.rule.cause, list);
      }
      const findings: (Finding & { rank: number; best: number; records: number })[] = [];
      for (const [cause, list] of perCause) {
        const supports = list.filter((t) => t.rule.effect === 'supports');
        if (supports.length === 0) continue;
        const opposes = list.filter((t) => t.rule.effect === 'opposes');
        let doubt = 1;
        let repeated = false;
        for (const t of supports) {
          if (t.leads === 0) continue;
          doubt *= 1 - SUPPORT_PROBABILITY[t.rule.strength];
          if (t.occurrences > 1) repeated = true;
        }
        if (repeated) doubt *= 1 - REPEAT_BONUS;
        let confidence = 1 - doubt;
        for (const t of opposes) if (t.leads > 0) confidence *= 1 - OPPOSE_WEIGHT[t.rule.strength];
        confidence = round(Math.min(1, Math.max(0, confidence)));
        if (confidence < options.minConfidence || confidence === 0) continue;
        const byStrength = (a: RuleTally, b: RuleTally): number =>
          compareStrength(b.rule.strength, a.rule.strength) || b.records - a.records || (a.rule.id < b.rule.id ? -1 : 1);
        supports.sort(byStrength);
        opposes.sort(byStrength);
        const evidenceOf = (ts: RuleTally[]): Evidence[] =>
          ts.flatMap((t) => [...t.head, ...t.tail.map((p) => evidence(t.rule, p.line, p.raw, p.fields))]).sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : 1));
        const rules: RuleHits[] = [...supports, ...opposes].map((t) => ({
          rule: t.rule.id,
          effect: t.rule.effect,
          strength: t.rule.strength,
          records: t.records,
          occurrences: t.occurrences,
        }));
        const best = supports[0] === undefined ? 0 : SUPPORT_PROBABILITY[supports[0].rule.strength];
        findings.push({
          cause,
          title: causes.get(cause)?.title ?? cause,
          confidence,
          rules,
          supports: evidenceOf(supports),
          opposes: evidenceOf(opposes),
          rank: (CAUSE_ORDER as readonly string[]).indexOf(cause),
          best,
          records: supports.reduce((n, t) => n + t.records, 0),
        });
      }
      findings.sort((a, b) => b.confidence - a.confidence || b.best - a.best || b.records - a.records || a.rank - b.rank);
      const clean: Finding[] = findings.map(({ rank: _r, best: _b, records: _n, ...f }) => f);
      const top = clean[0];
      const info = top === undefined ? undefined : causes.get(top.cause);
      const remediation: Remediation | null =
        info === undefined
          ? null
          : {
              cause: info.id,
              title: info.title,
              summary: info.summary,
              confirm: info.confirm.map((s) => ({ ...s, commands: [...s.commands] })),
              fix: info.fix.map((s) => ({ ...s, commands: [...s.commands] })),
              links: info.links.map((l) => ({ ...l })),
              lookalikes: [...info.lookalikes],
            };
      return {
        cause: top?.cause ?? null,
        confidence: top?.confidence ?? 0,
        findings: clean,
        evidence: top?.supports ?? [],
        remediation,
        stats,
      };
    },
  };
}
