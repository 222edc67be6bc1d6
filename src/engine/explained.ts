import type { CompiledRule } from './types.js';

/**
 * Whether a rule's hit explains its record, so that the generic fallbacks and the errno table stay
 * silent on it: a supporting rule, or a decisive opposing one (the record is known not to be a
 * limit at all, e.g. a write to /dev/full). A rule with `requires` may still be dropped when the
 * diagnosis is scored (its context never shows up), so it explains nothing on its own.
 */
export function explainsRecord(r: CompiledRule): boolean {
  return r.fallback !== true && r.requires === undefined && (r.effect === 'supports' || (r.effect === 'opposes' && r.strength === 'decisive'));
}
