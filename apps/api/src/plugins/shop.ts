import Boom from '@hapi/boom';
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PRODUCTS, findProduct, searchProducts } from '../data/catalog.ts';
import { OrderStore } from '../data/orders.ts';
import { ATTR, type Instruments } from '../metrics/instruments.ts';

export interface ShopOptions {
  instruments: Instruments | null;
  /** Share of payments declined (a business outcome, not an error). */
  declineRate?: number;
  random?: () => number;
}

const productId = Joi.string()
  .pattern(/^p-\d{3}$/)
  .messages({
    'string.pattern.base': '{{#label}} must look like p-001',
  });
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD'];

/** The business routes: catalog, search, orders, payments and the deliberately slow reports. */
export const shopPlugin: Plugin<ShopOptions> = {
  name: 'shop',
  register(server, { instruments, declineRate = 0.1, random = Math.random }) {
    const orders = new OrderStore();

    server.route([
      {
        method: 'GET',
        path: '/api/products',
        options: {
          validate: {
            query: Joi.object({
              category: Joi.string().max(40),
              limit: Joi.number().integer().min(1).max(100).default(100),
            }),
          },
        },
        handler(request) {
          const { category, limit } = request.query as { category?: string; limit: number };
          const items = PRODUCTS.filter((p) => !category || p.category === category).slice(
            0,
            limit,
          );
          return { items, total: items.length };
        },
      },
      {
        method: 'GET',
        path: '/api/products/{id}',
        options: { validate: { params: Joi.object({ id: productId.required() }) } },
        handler(request) {
          const id = (request.params as { id: string }).id;
          const product = findProduct(id);
          if (!product) throw Boom.notFound(`no product ${id}`, { field: 'id', rule: 'exists' });
          return product;
        },
      },
      {
        method: 'GET',
        path: '/api/search',
        options: {
          validate: { query: Joi.object({ q: Joi.string().trim().min(1).max(100).required() }) },
        },
        handler(request) {
          const { q } = request.query as { q: string };
          instruments?.searchQueries.add(1);
          const items = searchProducts(q);
          return { query: q, items, total: items.length };
        },
      },
      {
        method: 'POST',
        path: '/api/orders',
        options: {
          validate: {
            payload: Joi.object({
              product_id: productId.required(),
              quantity: Joi.number().integer().min(1).max(100).required(),
            }).required(),
          },
        },
        handler(request, h) {
          const body = request.payload as { product_id: string; quantity: number };
          const product = findProduct(body.product_id);
          if (!product) {
            throw Boom.notFound(`no product ${body.product_id}`, {
              field: 'product_id',
              rule: 'exists',
            });
          }
          const order = orders.create(product, body.quantity);
          instruments?.ordersCreated.add(1);
          return h.response(order).code(201);
        },
      },
      {
        method: 'POST',
        path: '/api/payments',
        options: {
          validate: {
            payload: Joi.object({
              order_id: Joi.string().max(64).required(),
              amount: Joi.number().positive().max(1_000_000).precision(2).required(),
              currency: Joi.string()
                .valid(...CURRENCIES)
                .required(),
            }).required(),
          },
        },
        handler(request) {
          const body = request.payload as { order_id: string; amount: number; currency: string };
          const order = orders.get(body.order_id);
          if (!order) {
            throw Boom.notFound(`no order ${body.order_id} in this data plane`, {
              field: 'order_id',
              rule: 'exists',
            });
          }
          // A decline is a business outcome (200), not an error: it shows up in the
          // app.payments.processed outcome split, not in the error rate.
          const outcome = random() < declineRate ? 'declined' : 'approved';
          if (outcome === 'approved') order.status = 'paid';
          instruments?.paymentsProcessed.add(1, { [ATTR.paymentOutcome]: outcome });
          return {
            order_id: order.id,
            amount: body.amount,
            currency: body.currency,
            outcome,
            ...(outcome === 'declined' ? { reason: 'card_declined' } : {}),
          };
        },
      },
      {
        method: 'GET',
        path: '/api/reports',
        options: {
          validate: {
            query: Joi.object({
              period: Joi.string().valid('day', 'week', 'month').default('day'),
            }),
          },
        },
        async handler(request) {
          const { period } = request.query as { period: string };
          // Deliberately slow: a slice of CPU work, then a wait on a pretend downstream.
          const digest = crunch(period === 'month' ? 4000 : period === 'week' ? 2000 : 1000);
          await sleep(50 + Math.floor(random() * 100));
          instruments?.reportsGenerated.add(1);
          return {
            period,
            products: PRODUCTS.length,
            inventoryValue:
              Math.round(PRODUCTS.reduce((s, p) => s + p.price * p.stock, 0) * 100) / 100,
            ordersInMemory: orders.size,
            checksum: digest,
          };
        },
      },
    ]);
  },
};

/** CPU work proportional to `rounds` (about 1 ms per 1000 rounds here). */
function crunch(rounds: number): string {
  let digest = 'outpost';
  for (let i = 0; i < rounds; i += 1) digest = createHash('sha256').update(digest).digest('hex');
  return digest.slice(0, 16);
}
