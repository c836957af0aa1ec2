// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Locals {
      /** The signed-in user when dashboard auth is on. */
      user: string | null;
    }
  }
}

export {};
