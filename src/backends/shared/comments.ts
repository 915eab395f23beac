// Comment text in generated YAML and Python: always one physical line, whatever the step's
// strings hold (a line break of any kind, or U+2028 / U+0085, would end the comment and
// turn the rest of a value into document text).

/** Line breaks of any kind and the characters PyYAML refuses in a stream (NUL, which
 * CPython refuses in source, among them). */
const NOT_IN_COMMENTS =
  /[\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/gu;

/** A comment's text on one line: line breaks and unreadable characters become spaces. */
export function oneLineComment(text: string): string {
  return text.replace(NOT_IN_COMMENTS, " ");
}
