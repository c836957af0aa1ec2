import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import {
  createdOrder,
  orderFromResponse,
  productIdsFromResponse,
  RequestFactory,
  wantsResponseBody,
  type OrderRef,
  type PlannedRequest,
} from './routes.ts';

const IDS = ['p-001', 'p-002'];

describe('RequestFactory', () => {
  it('follows the weights and pays orders it was given, each once', () => {
    const factory = new RequestFactory(
      { browse: 0, search: 0, order: 0, pay: 1, report: 0 },
      0,
      seededRandom(3),
    );
    const orders: OrderRef[] = [{ id: 'o-1', amount: 12.5 }];
    const pay = factory.next(IDS, orders);
    expect(pay).toMatchObject({
      route: 'pay',
      method: 'POST',
      path: '/api/payments',
      invalid: false,
    });
    expect(JSON.parse(pay.body ?? '')).toMatchObject({ order_id: 'o-1', amount: 12.5 });
    expect(pay.order).toEqual({ id: 'o-1', amount: 12.5 });
    // No unpaid order left: a payment turns into an order.
    expect(factory.next(IDS, orders)).toMatchObject({ route: 'order', path: '/api/orders' });
  });

  it('the same seed gives the same sequence', () => {
    const a = new RequestFactory(
      { browse: 5, search: 2, order: 1, pay: 0, report: 1 },
      0.1,
      seededRandom(9),
    );
    const b = new RequestFactory(
      { browse: 5, search: 2, order: 1, pay: 0, report: 1 },
      0.1,
      seededRandom(9),
    );
    for (let i = 0; i < 50; i++) expect(a.next(IDS, [])).toEqual(b.next(IDS, []));
  });

  it('invalid sends carry the forms the API must refuse', () => {
    const factory = new RequestFactory(
      { browse: 1, search: 1, order: 1, pay: 1, report: 0 },
      1,
      seededRandom(1),
    );
    const seen = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      const r = factory.next(IDS, [{ id: 'o-9', amount: 5 }]);
      expect(r.invalid).toBe(true);
      seen.set(r.route, `${r.path} ${r.body ?? ''}`);
    }
    expect(seen.get('browse')).toBe('/api/products/no-such-product ');
    expect(seen.get('search')).toBe('/api/search ');
    expect(seen.get('order')).toMatch(/"quantity":-1/);
    expect(seen.get('pay')).toMatch(/"amount":-1,"currency":"dollars"/);
  });
});

describe('reading API responses', () => {
  it('product ids from an array or { items | products | data }', () => {
    expect(productIdsFromResponse('[{"id":"p-001"},{"id":"p-002"}]')).toEqual(['p-001', 'p-002']);
    expect(productIdsFromResponse('{"items":[{"id":"p-003"}],"total":1}')).toEqual(['p-003']);
    expect(productIdsFromResponse('{"products":["p-004"]}')).toEqual(['p-004']);
    expect(productIdsFromResponse('not json')).toEqual([]);
    expect(productIdsFromResponse('{"total":0}')).toEqual([]);
  });

  it('an order id and its total from the order response', () => {
    expect(orderFromResponse('{"id":"o-1","total":59.9}', seededRandom(1))).toEqual({
      id: 'o-1',
      amount: 59.9,
    });
    expect(orderFromResponse('{"id":7}', seededRandom(1))?.id).toBe('7');
    expect(orderFromResponse('{"status":"ok"}', seededRandom(1))).toBeUndefined();
  });

  it('only a valid order reads its body, and only its 2xx creates an order to pay', () => {
    const order: PlannedRequest = {
      route: 'order',
      method: 'POST',
      path: '/api/orders',
      invalid: false,
    };
    const body = '{"id":"o-2","total":10}';
    expect(wantsResponseBody(order)).toBe(true);
    expect(wantsResponseBody({ ...order, invalid: true })).toBe(false);
    expect(wantsResponseBody({ ...order, route: 'browse', method: 'GET' })).toBe(false);
    expect(createdOrder(order, 201, body, seededRandom(1))).toEqual({ id: 'o-2', amount: 10 });
    expect(createdOrder(order, 500, body, seededRandom(1))).toBeUndefined();
    expect(createdOrder(order, 201, undefined, seededRandom(1))).toBeUndefined();
    expect(createdOrder({ ...order, invalid: true }, 201, body, seededRandom(1))).toBeUndefined();
  });
});
