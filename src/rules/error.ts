/** The one error `compileRules` throws: names the rule and the field that is wrong. */
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
