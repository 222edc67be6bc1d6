/**
 * The single source of shape for everything enospc reads and returns.
 *
 * Runtime code on the default path only `import type`s from this module, so zod is not loaded
 * unless a caller imports `enospc/schema` (to validate a diagnosis received over the wire) or
 * `enospc/rules` (to compile custom rules).
 */
import * as z from 'zod';
import { CAUSE_IDS, FORMATS, STRENGTHS } from './ids.js';

export { CAUSE_IDS, FORMATS, STRENGTHS };


/** Zod enum of every cause id. */
export const CauseIdSchema = z.enum(CAUSE_IDS);
/** A cause of a "no space left on device"-family failure. */
export type CauseId = z.infer<typeof CauseIdSchema>;

/** Zod enum of the strength levels a rule can have. */
export const StrengthSchema = z.enum(STRENGTHS);
/** How much one rule's match moves the belief in its cause; mapped to a probability in one place. */
export type Strength = z.infer<typeof StrengthSchema>;

export const EffectSchema = z.enum(['supports', 'opposes', 'context']);
/**
 * Whether a rule's match is evidence for or against its cause, or only context: a marker that other
 * rules' `requires` refer to (e.g. a `df -i` header that tells inode rows from block rows).
 */
export type Effect = z.infer<typeof EffectSchema>;

/** Zod enum of a rule's lifecycle status: experimental, stable or deprecated. */
export const RuleStatusSchema = z.enum(['experimental', 'stable', 'deprecated']);

/** Zod enum of the input formats a record can be recognised as. */
export const FormatSchema = z.enum(FORMATS);
/** An input format a record was recognised as (journal, klog, kubectl-describe, ...). */
export type Format = z.infer<typeof FormatSchema>;

const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case');
const url = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

/** A numeric condition on a named capture group, e.g. `{ gte: 60000 }`. */
export const NumericConditionSchema = z
  .object({ gte: z.number().optional(), lte: z.number().optional() })
  .strict()
  .refine((c) => c.gte !== undefined || c.lte !== undefined, 'needs gte or lte');

/** Where a rule's message shape comes from: one format string in one upstream repository. */
export const UpstreamSchema = z
  .object({
    /** `owner/name` on GitHub (e.g. `moby/moby`), or `kernel.org/linux` style for other hosts. */
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name'),
    /** Path of the file in that repository. */
    path: z.string().min(1),
    /** Tag, branch snapshot or commit that was read (e.g. `v1.7.20`, `a1b2c3d`). */
    ref: z.string().min(1),
    /** The format string (or literal message) as written there, e.g. `failed to create fsnotify watcher: %w`. */
    format: z.string().min(1).optional(),
  })
  .strict();
/** One upstream source of a rule's message shape. */
export type Upstream = z.infer<typeof UpstreamSchema>;

/** A rule as written in `rules/signals/<id>.yaml` or passed to `compileRules`. */
export const RuleSchema = z
  .object({
    id: kebab,
    cause: CauseIdSchema,
    effect: EffectSchema,
    strength: StrengthSchema,
    status: RuleStatusSchema,
    /** Literal lowercase substrings that must all occur in the normalised message (the prefilter). */
    keywords: z
      .array(z.string().min(3).refine((k) => k === k.toLowerCase(), 'must be lowercase'))
      .min(1),
    /** xregexp pattern, free-spacing (`x`) and case-insensitive; named groups become fields. */
    pattern: z.string().min(1),
    /** Numeric conditions on named groups; the match counts only when all hold. */
    numeric: z.record(z.string(), NumericConditionSchema).optional(),
    /** Field conditions: the record's format / event reason must be one of these. */
    where: z
      .object({
        format: z.array(FormatSchema).min(1).optional(),
        reason: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .optional(),
    /** The match counts only if one of these rules also matched somewhere in the same input. */
    requires: z.array(kebab).min(1).optional(),
    /**
     * A fallback rule counts only on records that no non-fallback supporting rule (or decisive
     * opposing rule) explained (the generic "ENOSPC with no context" signal).
     */
    fallback: z.boolean().optional(),
    description: z.string().min(1),
    references: z.array(url).default([]),
    provenance: z.string().min(1),
    /**
     * The upstream code whose output this rule models: repository (`owner/name`), path in it, the
     * tag or commit read, and the format string as it appears there. Built-in rules have this or
     * `noUpstream`; custom rules may omit both.
     */
    upstream: z.array(UpstreamSchema).min(1).optional(),
    /** Why a rule models no upstream format string (a documented tool output, a kernel log a repo could not be read for, ...). */
    noUpstream: z.string().min(1).optional(),
    examples: z
      .object({
        match: z.array(z.string().min(1)).min(1),
        noMatch: z.array(z.string().min(1)).min(1),
      })
      .strict(),
  })
  .strict();
/** A rule definition (the YAML file's shape). */
export type RuleDefinition = z.input<typeof RuleSchema>;
/** A validated rule definition, defaults applied. */
export type Rule = z.infer<typeof RuleSchema>;

/** Zod schema of one confirm or fix step. */
export const StepSchema = z
  .object({
    description: z.string().min(1),
    commands: z.array(z.string().min(1)).default([]),
    /** For confirm steps: what the reading means. */
    reading: z.string().optional(),
    /** For fix steps: what the step risks. */
    risk: z.string().optional(),
  })
  .strict();
/** One confirm or fix step: what to do, the commands, what the reading means or what it risks. */
export type Step = z.infer<typeof StepSchema>;

/** Zod schema of a reference link. */
export const LinkSchema = z.object({ title: z.string().min(1), url }).strict();
/** A reference link: title and URL. */
export type Link = z.infer<typeof LinkSchema>;

/** A cause as written in `rules/causes/<cause-id>.yaml`. */
export const CauseSchema = z
  .object({
    id: CauseIdSchema,
    title: z.string().min(1),
    summary: z.string().min(1),
    errno: z.enum(['ENOSPC', 'EMFILE', 'EDQUOT', 'EAGAIN', 'mixed']),
    confirm: z.array(StepSchema).min(1),
    fix: z.array(StepSchema).min(1),
    links: z.array(LinkSchema).min(1),
    lookalikes: z.array(z.string().min(1)).min(1),
  })
  .strict();
/** A cause definition as written in `rules/causes/<id>.yaml`. */
export type CauseDefinition = z.input<typeof CauseSchema>;
/** A validated cause definition. */
export type Cause = z.infer<typeof CauseSchema>;

/** Zod schema of a remediation. */
export const RemediationSchema = z
  .object({
    cause: CauseIdSchema,
    title: z.string(),
    summary: z.string(),
    confirm: z.array(StepSchema),
    fix: z.array(StepSchema),
    links: z.array(LinkSchema),
    lookalikes: z.array(z.string()),
  })
  .strict();
/** How to confirm and fix one cause. */
export type Remediation = z.infer<typeof RemediationSchema>;

/** Typed fields extracted from a record's envelope and from a rule's named groups. */
export const FieldsSchema = z
  .object({
    format: FormatSchema,
    time: z.string().optional(),
    host: z.string().optional(),
    component: z.string().optional(),
    pid: z.number().int().optional(),
    severity: z.string().optional(),
    reason: z.string().optional(),
    type: z.string().optional(),
    object: z.string().optional(),
    count: z.number().int().nonnegative().optional(),
    path: z.string().optional(),
  })
  .catchall(z.union([z.string(), z.number()]));
/** Typed fields of a record: from its envelope (format, time, host, component, pid, reason, count) and from the matching rule's named groups. */
export type Fields = z.infer<typeof FieldsSchema>;

/** One record that matched one rule. */
export const EvidenceSchema = z
  .object({
    /** 1-based line number of the record's first line in the input. */
    line: z.number().int().positive(),
    /** The record as it appeared (capped), for display. */
    raw: z.string(),
    rule: z.string(),
    cause: CauseIdSchema,
    effect: EffectSchema,
    strength: StrengthSchema,
    fields: FieldsSchema,
  })
  .strict();
/** One record that matched one rule: line number, raw text, rule, effect, strength and fields. */
export type Evidence = z.infer<typeof EvidenceSchema>;

/** Matches of one rule: the first and last few records, plus how many there were in all. */
export const RuleHitsSchema = z
  .object({ rule: z.string(), effect: EffectSchema, strength: StrengthSchema, records: z.number().int(), occurrences: z.number().int() })
  .strict();
/** How often one rule fired: records matched and occurrences (repeat counts included). */
export type RuleHits = z.infer<typeof RuleHitsSchema>;

/** Zod schema of a finding. */
export const FindingSchema = z
  .object({
    cause: CauseIdSchema,
    title: z.string(),
    confidence: z.number().min(0).max(1),
    /** The rules that fired for or against this cause. */
    rules: z.array(RuleHitsSchema),
    supports: z.array(EvidenceSchema),
    opposes: z.array(EvidenceSchema),
  })
  .strict();
/** Everything found for one cause. */
export type Finding = z.infer<typeof FindingSchema>;

/** Zod schema of the input statistics. */
export const StatsSchema = z
  .object({
    bytes: z.number().int().nonnegative(),
    lines: z.number().int().nonnegative(),
    records: z.number().int().nonnegative(),
    candidates: z.number().int().nonnegative(),
    matched: z.number().int().nonnegative(),
    /** Records longer than `recordLimit` characters: matched on their first `recordLimit` characters. */
    truncated: z.number().int().nonnegative(),
    recordLimit: z.number().int().positive(),
  })
  .strict();
/** What was read: bytes, lines, records, prefilter candidates, matched records, records truncated to the cap. */
export type Stats = z.infer<typeof StatsSchema>;

/** Zod schema of a diagnosis: validate one received over the wire with `DiagnosisSchema.parse(json)`. */
export const DiagnosisSchema = z
  .object({
    cause: CauseIdSchema.nullable(),
    confidence: z.number().min(0).max(1),
    findings: z.array(FindingSchema),
    evidence: z.array(EvidenceSchema),
    remediation: RemediationSchema.nullable(),
    stats: StatsSchema,
  })
  .strict();
/** The answer to "why does this node say no space left on device?". */
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

/** Zod schema of a single-record match, as returned by `matchLine`. */
export const RuleMatchSchema = z
  .object({
    rule: z.string(),
    cause: CauseIdSchema,
    effect: EffectSchema,
    strength: StrengthSchema,
    fields: FieldsSchema,
  })
  .strict();
/** The best rule match for a single record. */
export type RuleMatch = z.infer<typeof RuleMatchSchema>;

/** An errno the decision table can key on (src/engine/errno.ts reads these). */
export const ErrnoNameSchema = z.enum(['ENOSPC', 'EMFILE', 'ENFILE', 'EDQUOT', 'ENOMEM', 'EAGAIN', 'ENOBUFS']);

/** One operation class of `rules/errno-table.yaml`: the system calls and verb phrases it covers. */
export const ErrnoOpClassSchema = z
  .object({
    id: kebab,
    description: z.string().min(1),
    /** Lowercase syscall names and verb phrases, matched as whole words in the operation the reader found. */
    words: z.array(z.string().min(2).refine((w) => w === w.toLowerCase(), 'must be lowercase')).min(1),
  })
  .strict();

/** One path class: a pattern over the path the reader found, optionally inside a wider class. */
export const ErrnoPathClassSchema = z
  .object({
    id: kebab,
    description: z.string().min(1),
    /** A path in a class `within` another is tested first: the most specific class wins. */
    within: kebab.optional(),
    /** xregexp pattern (free-spacing, case-insensitive) over the whole path. */
    pattern: z.string().min(1),
    examples: z.object({ match: z.array(z.string().min(1)).min(1), noMatch: z.array(z.string().min(1)).default([]) }).strict(),
  })
  .strict();

/** One component class: programs or exception classes, compared case-insensitively. */
export const ErrnoComponentClassSchema = z
  .object({ id: kebab, description: z.string().min(1), names: z.array(z.string().min(1)).min(1) })
  .strict();

/** What a row concludes: a cause at a strength. */
export const ErrnoYieldSchema = z.object({ cause: CauseIdSchema, strength: StrengthSchema }).strict();

/**
 * One row of the errno decision table. `op`, `path` and `component` each name classes, or the
 * special values `none` (the reader found none) and omitted (anything). Of the rows that match a
 * reading, the most specific wins (operation 4, path 2, component 1); two rows that could tie are
 * refused when the table is compiled.
 */
export const ErrnoRowSchema = z
  .object({
    id: kebab,
    errno: z.array(ErrnoNameSchema).min(1),
    op: z.array(kebab).min(1).optional(),
    path: z.array(kebab).min(1).optional(),
    component: z.array(kebab).min(1).optional(),
    cause: CauseIdSchema,
    strength: StrengthSchema,
    /** A second cause the same reading is as consistent with (inodes as well as blocks, for a create). */
    also: z.array(ErrnoYieldSchema).optional(),
    /** A cause id this row should name once it exists (it says `unknown-enospc` until then). */
    todo: z.string().min(1).optional(),
    description: z.string().min(1),
    /** How the strength was set: the development-corpus counts it rests on. */
    calibration: z.string().min(1),
    references: z.array(url).default([]),
    /** Lines that must select this row and be won (or, with `also`, be found) by its cause. */
    examples: z.array(z.string().min(1)).min(1),
  })
  .strict();

/** `rules/errno-table.yaml`: operation, path and component classes, and the rows that map them to causes. */
export const ErrnoTableSchema = z
  .object({
    ops: z.array(ErrnoOpClassSchema).min(1),
    paths: z.array(ErrnoPathClassSchema).min(1),
    components: z.array(ErrnoComponentClassSchema).default([]),
    rows: z.array(ErrnoRowSchema).min(1),
  })
  .strict();
/** The errno decision table as written in YAML. */
export type ErrnoTableDefinition = z.input<typeof ErrnoTableSchema>;
/** The errno decision table, validated. */
export type ErrnoTable = z.infer<typeof ErrnoTableSchema>;
