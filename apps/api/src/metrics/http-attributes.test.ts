import { describe, expect, it } from 'vitest';
import { HttpAttributes, semconvMethod } from './http-attributes.ts';

describe('HttpAttributes', () => {
  it('builds each attribute set once and hands out the same frozen object', () => {
    const attributes = new HttpAttributes('http');
    const first = attributes.duration('/api/products/{id}', 'get', 200);
    expect(attributes.duration('/api/products/{id}', 'get', 200)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.route': '/api/products/{id}',
      'http.response.status_code': 200,
    });
    expect(attributes.active('get')).toBe(attributes.active('get'));
    expect(attributes.active('get')).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
    });
  });

  it('adds error.type, the status code as a string, to 5xx only', () => {
    const attributes = new HttpAttributes('https');
    expect(attributes.duration('/api/orders', 'post', 503)).toEqual({
      'http.request.method': 'POST',
      'url.scheme': 'https',
      'http.route': '/api/orders',
      'http.response.status_code': 503,
      'error.type': '503',
    });
    expect(attributes.duration('/api/orders', 'post', 499)).not.toHaveProperty('error.type');
  });

  it('folds unknown methods into _OTHER before they key the cache', () => {
    expect(semconvMethod('get')).toBe('GET');
    expect(semconvMethod('Patch')).toBe('PATCH');
    expect(semconvMethod('purge')).toBe('_OTHER');
    const attributes = new HttpAttributes('http');
    expect(attributes.active('purge')).toBe(attributes.active('propfind'));
    expect(attributes.duration('unmatched', 'purge', 404)).toBe(
      attributes.duration('unmatched', 'mkcol', 404),
    );
  });
});
