import type { Random } from '../random.ts';
import type { Target } from '../targets.ts';
import { TargetClient, type SendCallbacks } from './client.ts';
import {
  createdOrder,
  FALLBACK_PRODUCT_IDS,
  productIdsFromResponse,
  wantsResponseBody,
  type OrderRef,
  type PlannedRequest,
  type RequestFactory,
} from './routes.ts';

// One target as the run sees it: its connection pool, the product ids it serves, and the
// unpaid orders this run created on it (what later payments pay). What each route sends and
// reads back is routes.ts's knowledge; the lane keeps what carries from one send to the next.

/** Connections opened per target before the run; the pool opens more as needed. */
const PRECONNECT = 16;
/** Unpaid orders kept per target; the oldest go first. */
const MAX_ORDERS_KEPT = 1000;

export interface LaneOptions {
  /** Most keep-alive connections to the target. */
  connections: number;
  /** Per-request timeout for headers and body, milliseconds. */
  timeoutMs: number;
  /** The run's seeded random (amounts of orders whose answer has none). */
  random: Random;
}

export class Lane {
  readonly target: Target;
  readonly #client: TargetClient;
  readonly #connections: number;
  readonly #random: Random;
  #productIds: readonly string[] = FALLBACK_PRODUCT_IDS;
  #fromApi = false;
  readonly #orders: OrderRef[] = [];

  constructor(target: Target, options: LaneOptions) {
    this.target = target;
    this.#connections = options.connections;
    this.#random = options.random;
    this.#client = new TargetClient(target.url, {
      connections: options.connections,
      timeoutMs: options.timeoutMs,
    });
  }

  /** Where the product ids came from: GET /api/products, or the documented fallback. */
  get productIds(): 'from-api' | 'fallback' {
    return this.#fromApi ? 'from-api' : 'fallback';
  }

  /**
   * Opens connections ahead and learns the product ids from GET /api/products (falling back
   * to p-001..p-020). Never throws: what fails is logged and the run goes on.
   */
  async prepare(log: (line: string) => void): Promise<void> {
    const name = this.target.name;
    try {
      await this.#client.preconnect(Math.min(this.#connections, PRECONNECT));
    } catch (err) {
      log(`${name}: could not open connections ahead (${(err as Error).message})`);
    }
    try {
      const { status, text } = await this.#client.getText('/api/products');
      const ids = status === 200 ? productIdsFromResponse(text) : [];
      if (ids.length > 0) {
        this.#productIds = ids;
        this.#fromApi = true;
        return;
      }
      log(`${name}: GET /api/products gave ${status} without ids; using p-001..p-020`);
    } catch (err) {
      log(`${name}: GET /api/products failed (${(err as Error).message}); using p-001..p-020`);
    }
  }

  /** The next send to this target. */
  next(factory: RequestFactory): PlannedRequest {
    return factory.next(this.#productIds, this.#orders);
  }

  /** A planned send that never went out (dropped): the order it would have paid stays unpaid. */
  unsent(request: PlannedRequest): void {
    if (request.order) this.#orders.push(request.order);
  }

  send(request: PlannedRequest, callbacks: SendCallbacks): void {
    this.#client.send(request, wantsResponseBody(request), callbacks);
  }

  /** Learns from a response what later sends need (the order a POST /api/orders created). */
  received(request: PlannedRequest, status: number, body: string | undefined): void {
    const order = createdOrder(request, status, body, this.#random);
    if (!order) return;
    this.#orders.push(order);
    if (this.#orders.length > MAX_ORDERS_KEPT) this.#orders.shift();
  }

  /** Closes idle connections and aborts what is still running. */
  destroy(): Promise<void> {
    return this.#client.destroy();
  }
}
