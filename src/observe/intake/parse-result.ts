/** A parser's answer: the value, or why the input was refused (the message names the offending field). */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };
