// Bodies that lie about themselves are the client's fault: a 400 in our format, never a 503 that anyone could cause.
import { gzipSync } from 'node:zlib';
import { login, postRawJson, send } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('bodies');

describe('a body that claims a compression it does not have', () => {
  test.each(['gzip', 'deflate'])(
    "content-encoding: %s over plain bytes is 400 invalid_request, through the app's own parser",
    async (encoding) => {
      const cookie = await login(bed.app);
      const res = await postRawJson(bed.app, '/2fa/send', cookie).set('Content-Encoding', encoding).send('{"channel":"sms"}');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.headers['retry-after']).toBeUndefined();
      expect(bed.emulator.sent).toHaveLength(0);
    },
  );

  test('a real gzip body is read as usual, so the refusal above is for the lie alone', async () => {
    const cookie = await login(bed.app);
    const res = await postRawJson(bed.app, '/2fa/send', cookie)
      .set('Content-Encoding', 'gzip')
      // Sent as the bytes given: superagent would otherwise serialize the Buffer as JSON.
      .serialize((body: unknown) => body as string)
      .send(gzipSync('{"channel":"sms"}'));
    expect(res.body).toMatchObject({ sent: true });
    expect((await send(bed.app, cookie)).body.error).toBe('resend_cooldown');
  });
});
