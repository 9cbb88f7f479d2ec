import { RE2JS } from 're2js';
import { Result, ok, err } from '../result';

/**
 * A contract pattern compiled by RE2 (re2js): matching time is linear in the text whatever the
 * pattern, so a contract can never make validation super-linear (no catastrophic backtracking).
 */
export interface PatternMatcher {
  /** The pattern as written in the contract. */
  readonly source: string;
  /** Whether the pattern matches the whole text. */
  matches(text: string): boolean;
}

/**
 * Compiles a contract pattern with RE2 syntax (https://github.com/google/re2/wiki/Syntax), or says why
 * it cannot: backreferences and lookarounds (which need backtracking) and repeat counts above 1000 are refused.
 */
export function compilePattern(source: string): Result<PatternMatcher, string> {
  try {
    const compiled = RE2JS.compile(source);
    return ok({ source, matches: (text: string) => compiled.matches(text) });
  } catch (e) {
    const reason = (e as Error).message.replace(/^error parsing regexp: /, '');
    return err(`is not a valid regular expression for RE2: ${JSON.stringify(source)} (${reason}); contract patterns use RE2 syntax, without backreferences or lookarounds, so matching stays linear in the value's length`);
  }
}
