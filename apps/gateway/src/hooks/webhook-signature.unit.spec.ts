import { parseBody } from './webhook-deliveries';
import { type SignatureVerdict, verifyWebhookSignature, webhookSignature } from './webhook-signature';

const SECRET = 'whsec_test-secret';
const BODY = Buffer.from('{"order":42}');
const SIGNED_AT = 1_700_000_000;
// openssl: printf '%s' '1700000000.{"order":42}' | openssl dgst -sha256 -hmac 'whsec_test-secret'
const OPENSSL_SIGNATURE = 'sha256=345486fd3ed5645ec77da5df7502af80d03c7d985a3af0ec4dbdac4105550b4c';

const verify = (
  headers: { timestamp?: string; signature?: string },
  { body = BODY, nowSeconds = SIGNED_AT, toleranceSeconds = 300 } = {},
): SignatureVerdict =>
  verifyWebhookSignature(
    SECRET,
    { timestamp: headers.timestamp, signature: headers.signature, body },
    { nowSeconds, toleranceSeconds },
  );

describe('webhook signatures', () => {
  it('are HMAC-SHA256 over "<timestamp>.<raw body>", as openssl computes them', () => {
    expect(webhookSignature(SECRET, SIGNED_AT, BODY)).toBe(OPENSSL_SIGNATURE);
    expect(webhookSignature(SECRET, String(SIGNED_AT), BODY.toString())).toBe(OPENSSL_SIGNATURE);
  });

  it('accept a good signature within the tolerance, either side, hex in any case', () => {
    const timestamp = String(SIGNED_AT);
    expect(verify({ timestamp, signature: OPENSSL_SIGNATURE })).toEqual({ valid: true });
    expect(
      verify({ timestamp, signature: OPENSSL_SIGNATURE.toUpperCase().replace('SHA256', 'sha256') }),
    ).toEqual({
      valid: true,
    });
    expect(verify({ timestamp, signature: OPENSSL_SIGNATURE }, { nowSeconds: SIGNED_AT + 300 })).toEqual({
      valid: true,
    });
    expect(verify({ timestamp, signature: OPENSSL_SIGNATURE }, { nowSeconds: SIGNED_AT - 300 })).toEqual({
      valid: true,
    });
  });

  it('refuse a signature of another body, timestamp or secret', () => {
    const timestamp = String(SIGNED_AT);
    const wrong = {
      valid: false,
      header: 'X-Spark-Signature',
      reason: expect.stringMatching(/does not match/),
    };
    expect(
      verify({ timestamp, signature: OPENSSL_SIGNATURE }, { body: Buffer.from('{"order":43}') }),
    ).toEqual(wrong);
    expect(verify({ timestamp: String(SIGNED_AT + 1), signature: OPENSSL_SIGNATURE })).toEqual(wrong);
    expect(verify({ timestamp, signature: webhookSignature('whsec_other', timestamp, BODY) })).toEqual(wrong);
  });

  it('refuse an authentic delivery signed too long ago or too far ahead, saying which', () => {
    const headers = { timestamp: String(SIGNED_AT), signature: OPENSSL_SIGNATURE };
    expect(verify(headers, { nowSeconds: SIGNED_AT + 301 })).toEqual({
      valid: false,
      header: 'X-Spark-Timestamp',
      reason: 'The X-Spark-Timestamp is 301 s in the past, outside the tolerance of 300 s',
    });
    expect(verify(headers, { nowSeconds: SIGNED_AT - 61, toleranceSeconds: 60 })).toEqual({
      valid: false,
      header: 'X-Spark-Timestamp',
      reason: 'The X-Spark-Timestamp is 61 s in the future, outside the tolerance of 60 s',
    });
  });

  it('refuse missing and malformed headers, naming the header and never the secret', () => {
    const cases: [{ timestamp?: string; signature?: string }, string][] = [
      [{ signature: OPENSSL_SIGNATURE }, 'X-Spark-Timestamp'],
      [{ timestamp: '2023-11-14T22:13:20Z', signature: OPENSSL_SIGNATURE }, 'X-Spark-Timestamp'],
      [{ timestamp: '-1700000000', signature: OPENSSL_SIGNATURE }, 'X-Spark-Timestamp'],
      [{ timestamp: String(SIGNED_AT) }, 'X-Spark-Signature'],
      [
        { timestamp: String(SIGNED_AT), signature: OPENSSL_SIGNATURE.slice('sha256='.length) },
        'X-Spark-Signature',
      ],
      [
        { timestamp: String(SIGNED_AT), signature: 'sha1=0123456789abcdef0123456789abcdef01234567' },
        'X-Spark-Signature',
      ],
      [{ timestamp: String(SIGNED_AT), signature: `${OPENSSL_SIGNATURE}00` }, 'X-Spark-Signature'],
      [{ timestamp: String(SIGNED_AT), signature: 'sha256=' + 'zz'.repeat(32) }, 'X-Spark-Signature'],
    ];
    for (const [headers, header] of cases) {
      const verdict = verify(headers);
      expect(verdict).toMatchObject({ valid: false, header });
      expect(JSON.stringify(verdict)).not.toContain(SECRET);
    }
  });
});

describe('webhook bodies', () => {
  it('are parsed as JSON when declared or undeclared, as form fields, else kept as text', () => {
    expect(parseBody(Buffer.from('{"a":[1,2]}'), 'application/json; charset=utf-8')).toEqual({ a: [1, 2] });
    expect(parseBody(Buffer.from('{"a":1}'), 'application/cloudevents+json')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('[1]'), undefined)).toEqual([1]);
    expect(parseBody(Buffer.from('a=1&b=two'), 'application/x-www-form-urlencoded')).toEqual({
      a: '1',
      b: 'two',
    });
    expect(parseBody(Buffer.from('hello'), 'text/plain')).toBe('hello');
    expect(parseBody(Buffer.alloc(0), 'application/json')).toBeNull();
  });

  it('declared JSON that is not JSON is a 400 naming the body', () => {
    expect(() => parseBody(Buffer.from('{"a":'), 'application/json')).toThrow(
      expect.objectContaining({
        problem: expect.objectContaining({ status: 400, errors: [{ path: '$', message: 'not valid JSON' }] }),
      }),
    );
  });
});
