import { randomUUID } from 'node:crypto';
import type { Product } from './catalog.ts';

export interface Order {
  id: string;
  productId: string;
  quantity: number;
  total: number;
  currency: string;
  status: 'created' | 'paid';
  createdAt: string;
}

/**
 * Orders kept per process, bounded: the oldest are forgotten past `capacity`, so a long load
 * test cannot grow memory without limit.
 */
export class OrderStore {
  readonly #orders = new Map<string, Order>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  create(product: Product, quantity: number): Order {
    const order: Order = {
      id: `o-${randomUUID()}`,
      productId: product.id,
      quantity,
      total: Math.round(product.price * quantity * 100) / 100,
      currency: product.currency,
      status: 'created',
      createdAt: new Date().toISOString(),
    };
    this.#orders.set(order.id, order);
    if (this.#orders.size > this.#capacity) {
      const oldest = this.#orders.keys().next().value;
      if (oldest !== undefined) this.#orders.delete(oldest);
    }
    return order;
  }

  get(id: string): Order | undefined {
    return this.#orders.get(id);
  }

  get size(): number {
    return this.#orders.size;
  }
}
