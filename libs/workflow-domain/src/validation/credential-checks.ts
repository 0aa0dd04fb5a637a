import { isSecretReference, SECRET_NAME_PATTERN } from '@spark/contracts';

import { type ValidationProblem } from '../errors';
import { templateExpressionOf } from '../expressions';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `$.a` for a plain key, `$["x-api-key"]` otherwise (as schema problems are named). */
const member = (path: string, key: string): string =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
]);
/** Header names that carry a credential: the usual ones, and any with a key/token/secret/password word. */
export const isCredentialHeader = (name: string): boolean =>
  CREDENTIAL_HEADERS.has(name.toLowerCase()) ||
  /(^|[-_])(api[-_]?key|token|secret|password|passwd)([-_]|$)/i.test(name);

/** Config and query keys that carry a credential: apiKey, api_key, token, accessToken, clientSecret, password. */
export const isCredentialKey = (key: string): boolean => {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return normalized === 'authorization' || /(apikey|token|secret|password|passwd)$/.test(normalized);
};

/** A string written in the definition (not an expression that takes it from the run's data). */
const isLiteral = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && templateExpressionOf(value) === undefined;

const HEADER_ADVICE =
  'register it as a secret (POST /api/v1/secrets) and reference it: { "secret": "<name>", "prefix": "Bearer " }';
const KEY_ADVICE =
  'langflow and agent steps take their key from a registered source (config.source); http steps send secrets as header references ({ "secret": "<name>" })';

/**
 * Credentials written into a definition would be stored in the workflow's stream, every RunStarted and the
 * read model: refused at registration, each with its path. Checks every handler config (steps, map item
 * tasks, compensations): credential headers must be secret references (or expressions), credential-named
 * config and query fields and URLs with user info must not be literal.
 */
export const credentialProblems = (value: unknown): ValidationProblem[] => {
  const problems: ValidationProblem[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((item, index) => visit(item, `${path}[${index}]`));
    if (!isRecord(node)) return;
    if (typeof node.handler === 'string' && isRecord(node.config))
      checkConfig(node.config, member(path, 'config'), problems);
    for (const [key, child] of Object.entries(node)) if (key !== 'config') visit(child, member(path, key));
  };
  visit(value, '$');
  return problems;
};

function checkConfig(config: Raw, path: string, problems: ValidationProblem[]): void {
  const report = (at: string, message: string) => problems.push({ path: at, message });
  if (isRecord(config.headers)) {
    for (const [name, value] of Object.entries(config.headers)) {
      const at = member(member(path, 'headers'), name);
      if (isSecretReference(value)) {
        if (!SECRET_NAME_PATTERN.test(value.secret))
          report(`${at}.secret`, 'must be a secret name: 1-63 lower-case letters, digits, "_" or "-"');
      } else if (isCredentialHeader(name) && isLiteral(value)) {
        report(
          at,
          `"${name}" carries a credential and must not be written in the definition: ${HEADER_ADVICE}`,
        );
      }
    }
  }
  for (const [key, value] of Object.entries(config))
    if (key !== 'headers' && isCredentialKey(key) && isLiteral(value))
      report(
        member(path, key),
        `"${key}" is a credential and must not be written in the definition: ${KEY_ADVICE}`,
      );
  if (isRecord(config.query))
    for (const [key, value] of Object.entries(config.query))
      if (isCredentialKey(key) && isLiteral(value))
        report(
          member(member(path, 'query'), key),
          `"${key}" is a credential and must not be written in the definition: ${HEADER_ADVICE}`,
        );
  if (isLiteral(config.url) && hasUserInfo(config.url))
    report(member(path, 'url'), `a URL must not carry credentials (user:password@): ${HEADER_ADVICE}`);
}

function hasUserInfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
