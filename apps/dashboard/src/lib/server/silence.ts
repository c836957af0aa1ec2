import { durationSeconds } from '@outpost/outputs';

// Validation of the alerts page's silence forms (pure): every field checked before anything
// reaches Alertmanager, each problem named for the field it belongs to so the page shows it
// inline.

/** The four matcher operators of Alertmanager (`isEqual` false is the negated form). */
export const OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** What Alertmanager's `POST /api/v2/silences` takes. */
export interface SilenceDraft {
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** The form as submitted, to fill it again next to the errors. */
export interface SilenceValues {
  matchers: Array<{ name: string; op: string; value: string }>;
  duration: string;
  comment: string;
  createdBy: string;
}

export interface SilenceErrors {
  /** Per matcher row, by index. */
  matchers?: Record<number, string>;
  /** About the matchers as a whole (none, too many, all match the empty string). */
  matcherSet?: string;
  duration?: string;
  comment?: string;
  createdBy?: string;
}

export const LIMITS = {
  maxMatchers: 20,
  maxValueLength: 1000,
  minDurationS: 60,
  maxDurationS: 30 * 86_400,
  minComment: 3,
  maxComment: 500,
  maxCreatedBy: 100,
} as const;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(form: FormData, key: string): string {
  const v = form.get(key);
  return typeof v === 'string' ? v.trim() : '';
}

/** Whether a matcher matches a label that is absent (Alertmanager refuses silences of only those). */
function matchesEmpty(m: Matcher): boolean {
  const hit = m.isRegex ? new RegExp(`^(?:${m.value})$`).test('') : m.value === '';
  return m.isEqual ? hit : !hit;
}

/**
 * Validates the create form: matchers (label names, values, operators, valid regular
 * expressions, at least one that does not match the empty string), a duration between 1 m and
 * 30 d in Prometheus's grammar, a comment of 3 to 500 characters and a creator.
 */
export function parseSilenceForm(
  form: FormData,
  now = Date.now(),
):
  | { ok: true; silence: SilenceDraft; values: SilenceValues }
  | { ok: false; errors: SilenceErrors; values: SilenceValues } {
  const names = form.getAll('name').map(String);
  const ops = form.getAll('op').map(String);
  const vals = form.getAll('value').map(String);
  const rows = names
    .map((name, i) => ({ name: name.trim(), op: ops[i] ?? '=', value: vals[i] ?? '' }))
    .filter((r) => r.name !== '' || r.value !== '');
  const values: SilenceValues = {
    matchers: rows,
    duration: text(form, 'duration'),
    comment: text(form, 'comment'),
    createdBy: text(form, 'createdBy'),
  };
  const errors: SilenceErrors = {};
  const matcherErrors: Record<number, string> = {};
  const matchers: Matcher[] = [];

  rows.forEach((r, i) => {
    if (!LABEL_NAME.test(r.name)) {
      matcherErrors[i] =
        `label name "${r.name}": letters, digits and _ only, not starting with a digit`;
      return;
    }
    if (!(OPERATORS as readonly string[]).includes(r.op)) {
      matcherErrors[i] = `operator "${r.op}": one of ${OPERATORS.join(' ')}`;
      return;
    }
    if (r.value.length > LIMITS.maxValueLength || CONTROL.test(r.value)) {
      matcherErrors[i] =
        `value of ${r.name}: at most ${LIMITS.maxValueLength} characters, no control characters`;
      return;
    }
    const isRegex = r.op.endsWith('~');
    if (isRegex) {
      try {
        new RegExp(`^(?:${r.value})$`);
      } catch {
        matcherErrors[i] = `value of ${r.name}: not a valid regular expression`;
        return;
      }
    }
    matchers.push({ name: r.name, value: r.value, isRegex, isEqual: !r.op.startsWith('!') });
  });
  if (Object.keys(matcherErrors).length > 0) errors.matchers = matcherErrors;
  if (rows.length === 0) errors.matcherSet = 'add at least one matcher';
  else if (rows.length > LIMITS.maxMatchers)
    errors.matcherSet = `at most ${LIMITS.maxMatchers} matchers`;
  else if (!errors.matchers && matchers.every(matchesEmpty))
    errors.matcherSet = 'at least one matcher must not match an empty or absent label';

  const seconds = durationSeconds(values.duration);
  if (seconds === undefined)
    errors.duration = 'a duration such as 30m, 2h or 1d (units: m, h, d, w)';
  else if (seconds < LIMITS.minDurationS || seconds > LIMITS.maxDurationS)
    errors.duration = 'between 1m and 30d';

  if (values.comment.length < LIMITS.minComment || values.comment.length > LIMITS.maxComment)
    errors.comment = `${LIMITS.minComment} to ${LIMITS.maxComment} characters: why is it silenced?`;
  if (
    values.createdBy === '' ||
    values.createdBy.length > LIMITS.maxCreatedBy ||
    CONTROL.test(values.createdBy)
  )
    errors.createdBy = `who silences it: 1 to ${LIMITS.maxCreatedBy} characters`;

  if (Object.keys(errors).length > 0 || seconds === undefined) return { ok: false, errors, values };
  return {
    ok: true,
    values,
    silence: {
      matchers,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + seconds * 1000).toISOString(),
      createdBy: values.createdBy,
      comment: values.comment,
    },
  };
}

/** The silence id of the expire form: Alertmanager's ids are UUIDs. */
export function parseSilenceId(form: FormData): string | null {
  const id = text(form, 'id');
  return UUID.test(id) ? id.toLowerCase() : null;
}

/** The form's matcher rows for an alert's labels (everything but Alertmanager's own). */
export function matchersFromLabels(
  labels: Record<string, string>,
): Array<{ name: string; op: Operator; value: string }> {
  return Object.entries(labels)
    .filter(([k]) => k !== 'alertstate' && k !== '__name__')
    .map(([name, value]) => ({ name, op: '=', value }));
}
