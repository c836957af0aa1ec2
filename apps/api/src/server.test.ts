import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testConfig, testServer } from './testing/harness.ts';

type Harness = Awaited<ReturnType<typeof testServer>>;
let h: Harness;
beforeEach(async () => {
  h = await testServer(testConfig(), () => 0.99); // 0.99: no simulated failure, payment approved
});
afterEach(async () => h.close());

const json = (payload: unknown) => ({
  payload: payload as object,
  headers: { 'content-type': 'application/json' },
});

describe('routes', () => {
  it('answers liveness and readiness', async () => {
    expect((await h.server.inject('/health')).statusCode).toBe(200);
    expect((await h.server.inject('/ready')).statusCode).toBe(200);
  });

  it('lists, finds and searches products', async () => {
    const list = await h.server.inject('/api/products');
    expect(list.statusCode).toBe(200);
    expect((list.result as { total: number }).total).toBe(24);
    const one = await h.server.inject('/api/products/p-002');
    expect((one.result as { name: string }).name).toBe('Waterproof Hiking Boots');
    const search = await h.server.inject('/api/search?q=tent');
    expect((search.result as { total: number }).total).toBe(1);
  });

  it('creates an order and pays it', async () => {
    const order = await h.server.inject({
      method: 'POST',
      url: '/api/orders',
      ...json({ product_id: 'p-003', quantity: 4 }),
    });
    expect(order.statusCode).toBe(201);
    const { id, total } = order.result as { id: string; total: number };
    expect(total).toBeCloseTo(99.96);
    const payment = await h.server.inject({
      method: 'POST',
      url: '/api/payments',
      ...json({ order_id: id, amount: total, currency: 'USD' }),
    });
    expect(payment.statusCode).toBe(200);
    expect((payment.result as { outcome: string }).outcome).toBe('approved');
  });

  it('declines a payment as a business outcome, not an error', async () => {
    const declining = await testServer(testConfig(), () => 0.05);
    const order = await declining.server.inject({
      method: 'POST',
      url: '/api/orders',
      ...json({ product_id: 'p-001', quantity: 1 }),
    });
    const payment = await declining.server.inject({
      method: 'POST',
      url: '/api/payments',
      ...json({ order_id: (order.result as { id: string }).id, amount: 129, currency: 'USD' }),
    });
    await declining.close();
    expect(payment.statusCode).toBe(200);
    expect(payment.result).toMatchObject({ outcome: 'declined', reason: 'card_declined' });
  });

  it('generates a report', async () => {
    const report = await h.server.inject('/api/reports?period=week');
    expect(report.statusCode).toBe(200);
    expect(report.result).toMatchObject({ period: 'week', products: 24 });
  });
});

describe('bad input answers 4xx naming the field and the rule', () => {
  const cases: Array<[string, Parameters<Harness['server']['inject']>[0], number, string, string]> =
    [
      [
        'wrong type',
        { method: 'POST', url: '/api/orders', ...json({ product_id: 'p-001', quantity: 'two' }) },
        400,
        'quantity',
        'number.base',
      ],
      [
        'missing field',
        { method: 'POST', url: '/api/orders', ...json({ quantity: 1 }) },
        400,
        'product_id',
        'any.required',
      ],
      [
        'unknown field',
        {
          method: 'POST',
          url: '/api/orders',
          ...json({ product_id: 'p-001', quantity: 1, coupon: 'x' }),
        },
        400,
        'coupon',
        'object.unknown',
      ],
      [
        'out of range',
        { method: 'POST', url: '/api/orders', ...json({ product_id: 'p-001', quantity: 1000 }) },
        400,
        'quantity',
        'number.max',
      ],
      ['empty string', { method: 'GET', url: '/api/search?q=' }, 400, 'q', 'string.empty'],
      [
        'oversized string',
        { method: 'GET', url: `/api/search?q=${'a'.repeat(101)}` },
        400,
        'q',
        'string.max',
      ],
      ['bad id format', { method: 'GET', url: '/api/products/../../etc' }, 404, '', ''],
      [
        'bad id pattern',
        { method: 'GET', url: '/api/products/42' },
        400,
        'id',
        'string.pattern.base',
      ],
      ['unknown product', { method: 'GET', url: '/api/products/p-999' }, 404, 'id', 'exists'],
      [
        'array instead of object',
        { method: 'POST', url: '/api/orders', ...json([{ product_id: 'p-001', quantity: 1 }]) },
        400,
        'body',
        'object.base',
      ],
      [
        'bad currency',
        {
          method: 'POST',
          url: '/api/payments',
          ...json({ order_id: 'o-1', amount: 5, currency: 'XXX' }),
        },
        400,
        'currency',
        'any.only',
      ],
      [
        'negative amount',
        {
          method: 'POST',
          url: '/api/payments',
          ...json({ order_id: 'o-1', amount: -5, currency: 'USD' }),
        },
        400,
        'amount',
        'number.positive',
      ],
      [
        'unknown order',
        {
          method: 'POST',
          url: '/api/payments',
          ...json({ order_id: 'o-1', amount: 5, currency: 'USD' }),
        },
        404,
        'order_id',
        'exists',
      ],
      [
        'unknown query parameter',
        { method: 'GET', url: '/api/search?q=a&debug=1' },
        400,
        'debug',
        'object.unknown',
      ],
    ];
  for (const [name, request, status, field, rule] of cases) {
    it(name, async () => {
      const res = await h.server.inject(request);
      expect(res.statusCode).toBe(status);
      const body = JSON.parse(res.payload) as { field?: string; rule?: string; message: string };
      expect(body.message).toBeTruthy();
      if (field) expect(body).toMatchObject({ field, rule });
    });
  }

  it('malformed JSON', async () => {
    const res = await h.server.inject({
      method: 'POST',
      url: '/api/orders',
      payload: '{"product_id":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.payload) as { field: string; rule: string; message: string };
    expect(body).toMatchObject({ field: 'body', rule: 'json.parse' });
    expect(body.message).toMatch(/^body is not valid JSON: /);
  });

  describe('a compressed body', () => {
    const post = (payload: Buffer, encoding = 'gzip') =>
      h.server.inject({
        method: 'POST',
        url: '/api/orders',
        payload,
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      });
    const order = JSON.stringify({ product_id: 'p-001', quantity: 1 });

    it('that is valid gzip is accepted', async () => {
      expect((await post(gzipSync(order))).statusCode).toBe(201);
    });

    for (const [name, payload, encoding] of [
      ['not gzip at all', Buffer.from(order), 'gzip'],
      ['truncated gzip', gzipSync(order).subarray(0, 12), 'gzip'],
      ['not deflate', Buffer.from('definitely not zlib'), 'deflate'],
    ] as const) {
      it(`that is ${name} answers 400 naming body / body.encoding`, async () => {
        const res = await post(payload, encoding);
        expect(res.statusCode).toBe(400);
        const body = JSON.parse(res.payload) as Record<string, unknown>;
        expect(body).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
          field: 'body',
          rule: 'body.encoding',
        });
        expect(body.message).toMatch(new RegExp(`not valid ${encoding}`));
      });
    }

    it('over the size limit once decompressed answers 413', async () => {
      const bomb = gzipSync(JSON.stringify({ product_id: 'p-001', pad: 'x'.repeat(1_000_000) }));
      expect(bomb.length).toBeLessThan(16 * 1024);
      const res = await post(bomb);
      expect(res.statusCode).toBe(413);
      expect(JSON.parse(res.payload)).toMatchObject({ field: 'body', rule: 'body.maxBytes' });
    });
  });

  it('a body over the size limit', async () => {
    const res = await h.server.inject({
      method: 'POST',
      url: '/api/orders',
      ...json({ product_id: 'p-001', quantity: 1, pad: 'x'.repeat(20_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.payload)).toMatchObject({ field: 'body', rule: 'body.maxBytes' });
  });

  it('an unknown route is a 404 and a wrong method a 405 with Allow', async () => {
    expect((await h.server.inject('/api/nothing')).statusCode).toBe(404);
    const res = await h.server.inject({ method: 'DELETE', url: '/api/orders' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });
});

describe('fault injection', () => {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

  it('needs the bearer token: 401 without or with a wrong one', async () => {
    expect((await h.server.inject('/admin/faults')).statusCode).toBe(401);
    expect(
      (await h.server.inject({ url: '/admin/faults', headers: { authorization: 'Bearer wrong' } }))
        .statusCode,
    ).toBe(401);
    expect((await h.server.inject({ url: '/admin/faults', headers: auth })).statusCode).toBe(200);
  });

  it('answers 403 saying how to enable them when no token is configured', async () => {
    const open = await testServer(testConfig({ API_ADMIN_TOKEN: '' }));
    const res = await open.server.inject({ url: '/admin/faults', headers: auth });
    await open.close();
    expect(res.statusCode).toBe(403);
    expect(res.payload).toMatch(/API_ADMIN_TOKEN/);
  });

  it('injects errors on one route, leaves others alone, and clears', async () => {
    const failing = await testServer(testConfig(), () => 0.5);
    const put = await failing.server.inject({
      method: 'PUT',
      url: '/admin/faults',
      headers: auth,
      payload: { errorRate: 1, route: '/api/products/{id}' },
    });
    expect(put.statusCode).toBe(200);
    expect((await failing.server.inject('/api/products/p-001')).statusCode).toBe(500);
    expect((await failing.server.inject('/api/products')).statusCode).toBe(200);
    const current = await failing.server.inject({ url: '/admin/faults', headers: auth });
    expect((current.result as { faults: unknown[] }).faults).toHaveLength(1);
    await failing.server.inject({ method: 'DELETE', url: '/admin/faults', headers: auth });
    expect((await failing.server.inject('/api/products/p-001')).statusCode).toBe(200);
    await failing.close();
  });

  it('adds latency globally', async () => {
    await h.server.inject({
      method: 'PUT',
      url: '/admin/faults',
      headers: auth,
      payload: { latencyMs: 120 },
    });
    const start = Date.now();
    await h.server.inject('/api/products');
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
  });

  it('rejects a bad fault with the field named', async () => {
    const res = await h.server.inject({
      method: 'PUT',
      url: '/admin/faults',
      headers: auth,
      payload: { errorRate: 2 },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.payload)).toMatchObject({ field: 'errorRate', rule: 'number.max' });
    const unknown = await h.server.inject({
      method: 'PUT',
      url: '/admin/faults',
      headers: auth,
      payload: { errorRate: 1, route: '/api/nope' },
    });
    expect(JSON.parse(unknown.payload)).toMatchObject({ field: 'route' });
  });
});

describe('overload', () => {
  it('sheds with 503 and Retry-After while the event loop lags, then serves again', async () => {
    const shedding = await testServer(testConfig({ API_MAX_EVENT_LOOP_DELAY_MS: '20' }));
    await shedding.server.start();
    // Block the event loop well past the limit, then let hapi's sampler see the lag.
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // busy
    }
    const shed = await shedding.server.inject('/api/products');
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    await new Promise((r) => setTimeout(r, 800));
    expect((await shedding.server.inject('/api/products')).statusCode).toBe(200);
    await shedding.close();
  });
});
