// Two kinds of failure, two exit codes: a usage error is the user's to fix (a bad flag,
// scenario or outputs file, a filter that matches nothing, a pattern shape that does not
// fit) and ends with exit 2 and a message that says what to change; anything else is a bug
// in the load generator and ends with exit 1 and its stack trace (cli.ts).

export class UsageError extends Error {
  override name = 'UsageError';
}
