/**
 * The one error `compileRules` throws: names the rule and the field that is wrong.
 *
 * @param ruleId - The rule's id (or `#<index>`).
 * @param field - Dotted path of the offending field.
 * @param reason - What is wrong.
 * @example
 * ```ts
 * try { compileRules(defs); } catch (e) { if (e instanceof RuleError) console.error(e.message); }
 * // rule "my-rule": pattern: Invalid regular expression …
 * ```
 */
export class RuleError extends Error {
  override readonly name = 'RuleError';
  /** The rule's id, or `#<index>` when the rule has no usable id. */
  readonly ruleId: string;
  /** Dotted path of the offending field, e.g. `examples.match.0` or `pattern`. */
  readonly field: string;

  constructor(ruleId: string, field: string, reason: string) {
    super(`rule "${ruleId}": ${field}: ${reason}`);
    this.ruleId = ruleId;
    this.field = field;
  }
}
