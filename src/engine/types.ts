import type { CauseId, Effect, Format, Strength } from '../schema.js';

/**
 * A rule ready to run: plain data (JSON-serialisable), its pattern already compiled from
 * xregexp free-spacing syntax into an ECMAScript source that is also valid RE2.
 */
export interface CompiledRule {
  readonly id: string;
  readonly cause: CauseId;
  /** `context` rules are markers for other rules' `requires`; they are never evidence. */
  readonly effect: Effect;
  readonly strength: Strength;
  readonly status: 'experimental' | 'stable' | 'deprecated';
  /** Lowercase literals that must all occur in the lowercased message. */
  readonly keywords: readonly string[];
  /** ECMAScript (and RE2) pattern source, plain capture groups. */
  readonly source: string;
  /** Always "i" today. */
  readonly flags: string;
  /** Capture group names in order: group n is `groups[n - 1]`. */
  readonly groups: readonly string[];
  readonly numeric?: Readonly<Record<string, { readonly gte?: number | undefined; readonly lte?: number | undefined }>> | undefined;
  readonly where?: { readonly format?: readonly Format[] | undefined; readonly reason?: readonly string[] | undefined } | undefined;
  readonly requires?: readonly string[] | undefined;
  readonly fallback?: boolean | undefined;
  /**
   * Lowercase literals of which every record the pattern matches contains one, for the
   * prefilter; compileRules reads them off the pattern (src/rules/anchors.ts). Absent: the
   * longest keyword is the anchor.
   */
  readonly anchors?: readonly string[] | undefined;
}

/** A cause's display and remediation data, as compiled from `rules/causes/<id>.yaml`. */
export interface CauseInfo {
  readonly id: CauseId;
  readonly title: string;
  readonly summary: string;
  readonly errno: 'ENOSPC' | 'EMFILE' | 'EDQUOT' | 'EAGAIN' | 'mixed';
  readonly confirm: readonly { readonly description: string; readonly commands: readonly string[]; readonly reading?: string | undefined; readonly risk?: string | undefined }[];
  readonly fix: readonly { readonly description: string; readonly commands: readonly string[]; readonly reading?: string | undefined; readonly risk?: string | undefined }[];
  readonly links: readonly { readonly title: string; readonly url: string }[];
  readonly lookalikes: readonly string[];
}
