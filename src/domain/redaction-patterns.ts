// What a secret looks like in the text Belay reads (logs, events, annotations, alert labels) and passes on
// (to the model, Slack and the audit log). Each rule keeps the words around a secret, so an engineer still
// sees *that* a token was there and where, and replaces only the secret with `[REDACTED:<id>]`.
// Order matters: whole blocks and headers first, so a later, narrower rule never leaves half a secret.

export interface RedactionRule {
  readonly id: string;
  readonly pattern: RegExp;
}

// Every rule's match is replaced by its optional `keep` group (the words in front of the secret) and the
// marker. A rule with a `key` group leaves the match alone when that key only names a secret.

export const marker = (id: string): string => `[REDACTED:${id}]`;

/** Key names whose value is a secret, in `key=value`, `key: value` and JSON. Deliberately broad. */
// `pass` alone (DB_PASS, db-pass, dbPass) only as a word of its own, so `bypass` and `passage` stay readable;
// `pwd` likewise (MYSQL_PWD), while the shell's working directory, `PWD=/srv/app`, is an exception below.
export const SECRET_KEY =
  '[A-Za-z0-9_.-]{0,40}(?:passw(?:or)?d|passwd|passphrase|(?:\\b|_)pass(?![a-z])|(?-i:(?<=[a-z])Pass)(?![a-z])|(?:\\b|_)pwd|(?-i:(?<=[a-z])Pwd)|secret|token|api[_-]?key|apikey|access[_-]?key|accountkey|sharedaccesskey|private[_-]?key|client[_-]?secret|credentials?|session[_-]?id|cookie)[A-Za-z0-9_.-]{0,40}';

/**
 * Keys that *name* a secret rather than hold it (`secretName`, `tokenPath`), count it (`prompt_tokens`,
 * `promptTokens`: spend, not a token), or are not one (`PWD`, `--password-stdin`): their values stay readable.
 * Plural `tokens` only: `access_token` and `auth_token` hold one.
 */
export const SECRET_KEY_EXCEPTIONS = /(name|ref|path|file|count|ttl|expir\w*|type|tokens|stdin|^pwd)$/i;

const NOT_ALREADY = '(?!\\[REDACTED)';

export const REDACTION_RULES: readonly RedactionRule[] = [
  {
    id: 'private-key',
    pattern:
      /-----BEGIN (?<kind>[A-Z0-9 ]*)PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END \k<kind>PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  {
    // A key split over lines, or cut by a log tail or an excerpt: its 64-character body lines (mixed case and
    // digits, which hex digests never are) and its last line before the END marker, and the marker itself.
    id: 'private-key',
    pattern:
      /(?<=^|[^A-Za-z0-9+/]|\\n)(?=[A-Za-z0-9+/]{0,63}[A-Z])(?=[A-Za-z0-9+/]{0,63}[a-z])(?=[A-Za-z0-9+/]{0,63}[0-9])[A-Za-z0-9+/]{64}(?![A-Za-z0-9+/=])|[A-Za-z0-9+/]{4,63}={0,2}(?=(?:\r?\n|\\n)[^\n]{0,80}?-----END [A-Z0-9 ]*PRIVATE KEY)|-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/gm,
  },
  {
    // The whole header value: `Authorization: Basic …`, `"authorization":"Bearer …"`, `-H 'Authorization: token …'`,
    // and Go's header dumps, `Authorization:[Basic …]` and `"Authorization":["Basic …"]`.
    id: 'authorization',
    pattern: new RegExp(
      `(?<keep>\\b(?:proxy-)?authorization\\\\?["']?\\s*[:=]\\s*(?:\\[(?!\\[?REDACTED)|(?!\\[))\\\\?["']?)${NOT_ALREADY}(?:[A-Za-z0-9-]+\\s+(?!\\[REDACTED))?[^\\s"',}\\]\\\\]+`,
      'gi',
    ),
  },
  {
    id: 'bearer',
    pattern: /(?<keep>\b(?:bearer|basic|token)\s+)[A-Za-z0-9\-._~+/]{12,}=*/gi,
  },
  {
    id: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  },
  {
    // scheme://user:password@host — database URLs, Redis, AMQP, git remotes.
    id: 'url-password',
    // The password runs to the last `@` before the host, so an unencoded `@` in it (`p@ss`) leaves nothing;
    // `:\/\/` is the same URL inside JSON that escapes slashes.
    pattern:
      /(?<keep>\b[a-z][a-z0-9+.-]{0,30}:\\{0,3}\/\\{0,3}\/[^\s:/@"'\\]*:)(?!\[REDACTED)[^\s/"'\\]+?(?=@[^\s@/"'\\]*(?:[\s/"'\\?#]|$))/gi,
  },
  {
    // Signed URLs: S3/GCS presigned, Azure SAS, OAuth codes in query strings.
    id: 'url-signature',
    pattern:
      /(?<keep>[?&](?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|access_token|id_token|refresh_token|code)=)(?!\[REDACTED)[^&\s"'#]+/gi,
  },
  {
    id: 'aws-access-key',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g,
  },
  {
    // Slack incoming webhooks and workflow triggers: the path is the credential.
    id: 'slack-webhook',
    pattern:
      /(?<keep>\bhttps:\\?\/\\?\/hooks\.slack\.com\\?\/(?:services|workflows|triggers)\\?\/)[A-Za-z0-9_\\/-]{8,}/g,
  },
  { id: 'gcp-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { id: 'gcp-oauth', pattern: /\bya29\.[0-9A-Za-z_-]{20,}/g },
  {
    id: 'vendor-token',
    // GitHub, GitLab, npm, Slack, Stripe, OpenAI-style keys: prefixes their issuers chose so scanners find them.
    pattern:
      /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|gl(?:pat|dt|ptt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|sk-(?:proj-)?[A-Za-z0-9_-]{20,})/g,
  },
  {
    // A Kubernetes env entry serialised to JSON: {"name":"DB_PASSWORD","value":"hunter2"}.
    id: 'env-value',
    pattern: new RegExp(
      `(?<keep>\\\\{0,3}"name\\\\{0,3}"\\s*:\\s*\\\\{0,3}"${SECRET_KEY}\\\\{0,3}"\\s*,\\s*\\\\{0,3}"value\\\\{0,3}"\\s*:\\s*\\\\{0,3}")${NOT_ALREADY}(?:[^"\\\\]|\\\\[^"])+?(?=\\\\{0,3}")`,
      'gi',
    ),
  },
  {
    // JSON: "password": "…", "client_secret": "…" (also with escaped quotes inside a JSON string).
    id: 'json-pair',
    pattern: new RegExp(
      `(?<keep>\\\\{0,3}"(?<key>${SECRET_KEY})\\\\{0,3}"\\s*:\\s*\\\\{0,3}")${NOT_ALREADY}(?:[^"\\\\]|\\\\[^"])+?(?=\\\\{0,3}")`,
      'gi',
    ),
  },
  {
    // A YAML line whose key holds a secret: the value is the rest of the line (`passphrase: correct horse`),
    // also when the lines arrive JSON-encoded (after a literal `\n`).
    id: 'pair',
    pattern: new RegExp(
      `(?:^|(?<=\\\\n))(?<keep>[ \\t]*(?:-[ \\t]+)?["']?(?<key>${SECRET_KEY})["']?[ \\t]*:[ \\t]+["']?)${NOT_ALREADY}(?![|>\\s])[^\\n"'\\\\]*[^\\s"'\\\\]`,
      'gim',
    ),
  },
  {
    // Command-line flags: `--password hunter2`, `--db-token=…` (not `--password-stdin`, which takes none).
    id: 'flag',
    pattern: new RegExp(
      `(?<keep>(?<![\\w-])--?(?<key>${SECRET_KEY})(?:[ \\t]+|=)["']?)${NOT_ALREADY}(?![-<|])[^\\s"']+`,
      'gi',
    ),
  },
  {
    // key=value and key: value, unquoted or quoted: DB_PASSWORD=…, password: …, AccountKey=…;
    id: 'pair',
    pattern: new RegExp(
      `(?<keep>(?<![/\\w.-])(?<key>${SECRET_KEY})\\s*(?:=|:(?!//))\\s*["']?)${NOT_ALREADY}[^\\s"'&;,}\\]]+`,
      'gi',
    ),
  },
];
