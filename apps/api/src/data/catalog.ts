/** A product in the in-memory catalog. Prices in minor-free decimal units of `currency`. */
export interface Product {
  id: string;
  name: string;
  category: string;
  price: number;
  currency: 'USD';
  stock: number;
}

const rows: Array<[string, string, number, number]> = [
  ['Trail Running Shoes', 'footwear', 129.0, 40],
  ['Waterproof Hiking Boots', 'footwear', 189.5, 25],
  ['Merino Wool Socks (3 pack)', 'footwear', 24.99, 200],
  ['Ultralight Rain Jacket', 'apparel', 149.0, 60],
  ['Insulated Down Vest', 'apparel', 119.0, 35],
  ['Technical Hiking Pants', 'apparel', 89.95, 80],
  ['Sun Hoodie UPF 50', 'apparel', 59.0, 120],
  ['Two-Person Backpacking Tent', 'camping', 349.0, 15],
  ['Down Sleeping Bag -7C', 'camping', 289.0, 18],
  ['Inflatable Sleeping Pad', 'camping', 129.95, 45],
  ['Titanium Cook Pot 900 ml', 'camping', 54.5, 90],
  ['Canister Stove', 'camping', 44.95, 70],
  ['Water Filter Squeeze', 'camping', 39.95, 150],
  ['45 L Trekking Backpack', 'packs', 219.0, 30],
  ['20 L Daypack', 'packs', 79.0, 110],
  ['Hydration Reservoir 2 L', 'packs', 34.95, 140],
  ['Carbon Trekking Poles', 'accessories', 159.0, 50],
  ['Rechargeable Headlamp 400 lm', 'accessories', 49.95, 160],
  ['GPS Watch', 'electronics', 399.0, 12],
  ['Solar Power Bank 20 Ah', 'electronics', 69.0, 65],
  ['Satellite Messenger', 'electronics', 299.0, 10],
  ['First Aid Kit Ultralight', 'accessories', 29.95, 130],
  ['Polarized Sunglasses', 'accessories', 89.0, 75],
  ['Trail Map Bundle', 'books', 19.95, 300],
];

/** The catalog: 24 outdoor products with ids `p-001` .. `p-024`. */
export const PRODUCTS: readonly Product[] = rows.map(([name, category, price, stock], i) => ({
  id: `p-${String(i + 1).padStart(3, '0')}`,
  name,
  category,
  price,
  currency: 'USD',
  stock,
}));

const byId = new Map(PRODUCTS.map((p) => [p.id, p]));

export function findProduct(id: string): Product | undefined {
  return byId.get(id);
}

/** Case-insensitive search over name and category. */
export function searchProducts(query: string): Product[] {
  const needle = query.toLowerCase();
  return PRODUCTS.filter(
    (p) => p.name.toLowerCase().includes(needle) || p.category.includes(needle),
  );
}
