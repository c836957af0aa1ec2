import { pickIndex, type Random } from '../random.ts';

// The weighted mix of the API's routes (see /api/* in docs/loadgen.md) and the bodies sent to
// them. Valid bodies follow the API contract; a chosen share of sends carries an invalid
// form instead, which the API must refuse with a 4xx.

export const ROUTES = ['browse', 'search', 'order', 'pay', 'report'] as const;
export type RouteName = (typeof ROUTES)[number];
export type MixWeights = Record<RouteName, number>;

export const DEFAULT_MIX: MixWeights = { browse: 50, search: 20, order: 15, pay: 10, report: 5 };

export interface PlannedRequest {
  route: RouteName;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** True when the send is deliberately invalid and a 4xx is the right answer. */
  invalid: boolean;
  /** The order a valid payment pays (taken from the unpaid ones; put back if never sent). */
  order?: OrderRef;
}

/** An order the API created, kept so a later payment can pay it. */
export interface OrderRef {
  id: string;
  amount: number;
}

/** Parses `browse=50,search=20,...`; throws an Error naming the bad part and the routes. */
export function parseMix(text: string): MixWeights {
  const weights: MixWeights = { browse: 0, search: 0, order: 0, pay: 0, report: 0 };
  for (const part of text.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (!ROUTES.includes(name as RouteName)) {
      throw new Error(
        `unknown route '${name}'; accepted: ${ROUTES.join(', ')} (e.g. browse=60,order=40)`,
      );
    }
    const weight = Number(value);
    if (value === undefined || value === '' || !(weight >= 0) || !Number.isFinite(weight)) {
      throw new Error(`weight for '${name}' must be a number >= 0 (e.g. ${name}=20)`);
    }
    weights[name as RouteName] = weight;
  }
  if (ROUTES.every((r) => weights[r] === 0))
    throw new Error('at least one route needs a weight > 0');
  return weights;
}

const SEARCH_TERMS = ['lamp', 'chair', 'desk', 'cable', 'monitor', 'keyboard', 'mug', 'notebook'];
const CURRENCIES = ['USD', 'EUR', 'GBP'];

/** Product ids assumed when GET /api/products cannot be read: the documented p-001.. range. */
export const FALLBACK_PRODUCT_IDS = Array.from(
  { length: 20 },
  (_, i) => `p-${String(i + 1).padStart(3, '0')}`,
);

export class RequestFactory {
  readonly #cumulative: number[];
  readonly #total: number;
  readonly #invalidShare: number;
  readonly #random: Random;

  constructor(weights: MixWeights, invalidShare: number, random: Random) {
    let sum = 0;
    this.#cumulative = ROUTES.map((r) => (sum += weights[r]));
    this.#total = sum;
    this.#invalidShare = invalidShare;
    this.#random = random;
  }

  /** The next send. `orders` holds unpaid orders; a payment with none to pay orders instead. */
  next(productIds: readonly string[], orders: OrderRef[]): PlannedRequest {
    const x = this.#random() * this.#total;
    let route: RouteName = ROUTES[this.#cumulative.findIndex((c) => x < c)] ?? 'browse';
    if (route === 'pay' && orders.length === 0) route = 'order';
    // Reports take no input, so they have no invalid form.
    const invalid = route !== 'report' && this.#random() < this.#invalidShare;
    return invalid
      ? this.#invalid(route, productIds, orders)
      : this.#valid(route, productIds, orders);
  }

  #valid(route: RouteName, productIds: readonly string[], orders: OrderRef[]): PlannedRequest {
    const r = this.#random;
    switch (route) {
      case 'browse':
        return r() < 0.4
          ? { route, method: 'GET', path: '/api/products', invalid: false }
          : {
              route,
              method: 'GET',
              path: `/api/products/${encodeURIComponent(this.#pick(productIds))}`,
              invalid: false,
            };
      case 'search':
        return {
          route,
          method: 'GET',
          path: `/api/search?q=${this.#pick(SEARCH_TERMS)}`,
          invalid: false,
        };
      case 'order':
        return {
          route,
          method: 'POST',
          path: '/api/orders',
          body: JSON.stringify({
            product_id: this.#pick(productIds),
            quantity: 1 + pickIndex(r, 3),
          }),
          invalid: false,
        };
      case 'pay': {
        const order = orders.pop() as OrderRef;
        return {
          route,
          method: 'POST',
          path: '/api/payments',
          body: JSON.stringify({
            order_id: order.id,
            amount: order.amount,
            currency: this.#pick(CURRENCIES),
          }),
          invalid: false,
          order,
        };
      }
      case 'report':
        return { route, method: 'GET', path: '/api/reports', invalid: false };
    }
  }

  #invalid(route: RouteName, productIds: readonly string[], orders: OrderRef[]): PlannedRequest {
    switch (route) {
      case 'browse':
        return { route, method: 'GET', path: '/api/products/no-such-product', invalid: true };
      case 'search':
        return { route, method: 'GET', path: '/api/search', invalid: true };
      case 'order':
        return {
          route,
          method: 'POST',
          path: '/api/orders',
          body: JSON.stringify({ product_id: this.#pick(productIds), quantity: -1 }),
          invalid: true,
        };
      case 'pay': {
        const order = orders[orders.length - 1] as OrderRef;
        return {
          route,
          method: 'POST',
          path: '/api/payments',
          body: JSON.stringify({ order_id: order.id, amount: -1, currency: 'dollars' }),
          invalid: true,
        };
      }
      case 'report':
        return this.#valid(route, productIds, orders);
    }
  }

  #pick<T>(list: readonly T[]): T {
    return list[pickIndex(this.#random, list.length)] as T;
  }
}

/**
 * Whether a send's response body is read: only a valid POST /api/orders, whose answer is the
 * order a later payment pays. Every other body is discarded unread.
 */
export function wantsResponseBody(request: PlannedRequest): boolean {
  return request.route === 'order' && !request.invalid;
}

/** The order a response created, if it did: a 2xx to a valid POST /api/orders with an id. */
export function createdOrder(
  request: PlannedRequest,
  status: number,
  body: string | undefined,
  random: Random,
): OrderRef | undefined {
  if (!wantsResponseBody(request) || status < 200 || status >= 300 || body === undefined)
    return undefined;
  return orderFromResponse(body, random);
}

/** Reads the order the API returned (`{ id, total?|amount? }`); undefined when it has no id. */
export function orderFromResponse(body: string, random: Random): OrderRef | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const o = parsed as Record<string, unknown>;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : undefined;
  if (id === undefined) return undefined;
  const given = [o.total, o.amount].find((v) => typeof v === 'number' && v > 0) as
    number | undefined;
  return { id, amount: given ?? Math.round((5 + random() * 495) * 100) / 100 };
}

/** Product ids from a GET /api/products body: an array, or `{ products | items | data: [...] }`. */
export function productIdsFromResponse(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const o = parsed as Record<string, unknown> | null;
  const list = Array.isArray(parsed)
    ? parsed
    : [o?.products, o?.items, o?.data].find((v): v is unknown[] => Array.isArray(v));
  if (!list) return [];
  return list
    .map((item) =>
      typeof item === 'string' || typeof item === 'number'
        ? String(item)
        : typeof item === 'object' && item !== null && 'id' in item
          ? String((item as { id: unknown }).id)
          : undefined,
    )
    .filter((id): id is string => id !== undefined && id !== '');
}
