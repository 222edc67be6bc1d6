import type { Diagnosis, Evidence, Finding } from '../schema.js';
import type { ProbeResult } from '../probe/index.js';

/** Maps a line of the concatenated input back to the file it came from. */
export type Locate = (line: number) => string;

const RAW_WIDTH = 220;

function clip(s: string, width = RAW_WIDTH): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > width ? `${one.slice(0, width - 1)}…` : one;
}

function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}

/** One line per record: a record that several rules matched shows once, with every rule. */
function evidenceLines(evs: readonly Evidence[], locate: Locate, indent: string): string[] {
  const byLine = new Map<number, Evidence[]>();
  for (const e of evs) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  return [...byLine.entries()].map(
    ([line, es]) => `${indent}${locate(line)}  [${es.map((e) => `${e.rule}, ${e.strength}`).join('; ')}]  ${clip(es[0]?.raw ?? '')}`,
  );
}

function findingBlock(f: Finding, locate: Locate): string[] {
  const out = [`  ${f.cause}  ${pct(f.confidence)}  ${f.title}`];
  for (const r of f.rules) {
    out.push(`    ${r.effect === 'supports' ? '+' : '-'} ${r.rule} (${r.strength}) on ${r.records} record${r.records === 1 ? '' : 's'}${r.occurrences > r.records ? `, ${r.occurrences} occurrences` : ''}`);
  }
  if (f.supports.length > 0) out.push('    for:', ...evidenceLines(f.supports, locate, '      '));
  if (f.opposes.length > 0) out.push('    against:', ...evidenceLines(f.opposes, locate, '      '));
  return out;
}

/** The human-readable report printed by default. */
export function renderReport(d: Diagnosis, locate: Locate, explain: boolean): string {
  const out: string[] = [];
  if (d.cause === null) {
    out.push('enospc: no ENOSPC-family cause found.');
    out.push(`  read ${d.stats.lines} lines, ${d.stats.records} records; ${d.stats.matched} matched a rule.`);
    if (explain && d.findings.length > 0) out.push('', 'Findings:', ...d.findings.flatMap((f) => findingBlock(f, locate)));
    return `${out.join('\n')}\n`;
  }
  const top = d.findings[0] as Finding;
  out.push(`Cause: ${top.title} (${d.cause}), confidence ${pct(d.confidence)}`);
  if (d.remediation !== null) out.push('', wrap(d.remediation.summary, 2));
  const shown = new Set(d.evidence.map((e) => e.line)).size;
  out.push('', `Evidence (${shown} record${shown === 1 ? '' : 's'} shown):`);
  out.push(...evidenceLines(d.evidence, locate, '  '));
  if (top.opposes.length > 0) out.push('', 'Against it:', ...evidenceLines(top.opposes, locate, '  '));
  const others = d.findings.slice(1);
  if (explain) {
    out.push('', 'All findings, best first:');
    for (const f of d.findings) out.push(...findingBlock(f, locate));
  } else if (others.length > 0) {
    out.push('', 'Also found:');
    for (const f of others) out.push(`  ${f.cause}  ${pct(f.confidence)}  ${f.title}`);
  }
  if (d.remediation !== null) {
    const r = d.remediation;
    out.push('', 'Confirm:');
    r.confirm.forEach((s, i) => {
      out.push(`  ${i + 1}. ${s.description}`);
      for (const c of s.commands) out.push(`       $ ${c}`);
      if (s.reading !== undefined) out.push(wrap(`→ ${s.reading}`, 5));
    });
    out.push('', 'Fix:');
    r.fix.forEach((s, i) => {
      out.push(`  ${i + 1}. ${s.description}`);
      for (const c of s.commands) out.push(`       $ ${c}`);
      if (s.risk !== undefined) out.push(wrap(`risk: ${s.risk}`, 5));
    });
    if (r.lookalikes.length > 0) {
      out.push('', 'Not this cause when:');
      for (const l of r.lookalikes) out.push(wrap(`- ${l}`, 2));
    }
    out.push('', 'Links:');
    for (const l of r.links) out.push(`  ${l.title}: ${l.url}`);
  }
  return `${out.join('\n')}\n`;
}

function wrap(text: string, indent: number, width = 100): string {
  const pad = ' '.repeat(indent);
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur.length > 0 && pad.length + cur.length + 1 + w.length > width) {
      lines.push(pad + cur);
      cur = w;
    } else cur = cur.length === 0 ? w : `${cur} ${w}`;
  }
  if (cur.length > 0) lines.push(pad + cur);
  return lines.join('\n');
}

/** The "measured on this node" section of the report (`--probe`). */
export function renderProbe(p: ProbeResult): string {
  const mark = { supports: '+', opposes: '-', neutral: ' ' } as const;
  const out = ['', `Measured on this node${p.root ? '' : ' (not root: some readings are partial)'}:`];
  const order = { supports: 0, opposes: 2, neutral: 1 } as const;
  for (const r of [...p.readings].sort((a, b) => order[a.effect] - order[b.effect])) {
    out.push(`  ${mark[r.effect]} ${r.cause.padEnd(28)} ${r.text}${r.effect === 'neutral' ? '' : ` [${r.effect}, ${r.strength}]`}`);
  }
  if (p.unreadable.length > 0) {
    out.push('', 'Not read:');
    for (const u of p.unreadable) out.push(`  ${u.source}: ${u.reason}`);
  }
  return `${out.join('\n')}\n`;
}
