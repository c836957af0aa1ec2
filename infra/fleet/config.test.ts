import { describe, expect, it } from 'vitest';
import { FleetConfigError, MAX_PLANES, readFleetConfig } from './config.ts';
import { fleetPlanes } from './planes.ts';

const FILE = '/fleet.json';
const files = (text: string) => (path: string) => {
  if (path !== FILE) throw new Error(`ENOENT: no such file ${path}`);
  return text;
};
const read = (env: Record<string, string>, text = JSON.stringify(fleetPlanes(3))) =>
  readFleetConfig({ PORT: '9100', FLEET_FILE: FILE, ...env }, files(text));

describe('readFleetConfig', () => {
  it('reads the planes and defaults HOST to 127.0.0.1 and FLEET_SEED to 1', () => {
    expect(read({})).toEqual({ host: '127.0.0.1', port: 9100, seed: 1, planes: fleetPlanes(3) });
    expect(read({ HOST: '0.0.0.0', PORT: '0', FLEET_SEED: '-42' })).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      seed: -42,
    });
  });

  it.each([
    [{ PORT: '' }, /^PORT must be a port number 0-65535/],
    [{ PORT: '65536' }, /^PORT .* got "65536"/],
    [{ PORT: '80a' }, /^PORT/],
    [{ HOST: '' }, /^HOST must be a host name or IP address/],
    [{ HOST: 'a b' }, /^HOST/],
    [{ FLEET_SEED: '1.5' }, /^FLEET_SEED must be an integer, got "1.5"/],
    [{ FLEET_SEED: '99999999999999999999' }, /^FLEET_SEED/],
    [{ FLEET_FILE: '' }, /^FLEET_FILE must name a JSON file/],
    [{ FLEET_FILE: '/missing.json' }, /^FLEET_FILE \/missing.json cannot be read: ENOENT/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => read(env)).toThrow(FleetConfigError);
    expect(() => read(env)).toThrow(message);
  });

  it('refuses PORT unset', () => {
    expect(() => readFleetConfig({ FLEET_FILE: FILE }, files('[]'))).toThrow(/^PORT .*\(unset\)/);
  });

  it.each([
    ['{', /is not JSON/],
    ['{}', /must hold an array of 1-1000 planes/],
    ['[]', /must hold an array/],
    [JSON.stringify(fleetPlanes(MAX_PLANES + 1)), /must hold an array of 1-1000 planes/],
    ['[1]', /plane 0 must be an object \{ id, customer, environment \}, got 1/],
    ['[{"customer":"c","environment":"prod"}]', /plane 0: id must be lower-case .* got undefined/],
    ['[{"id":"A","customer":"c","environment":"prod"}]', /plane 0: id .* got "A"/],
    ['[{"id":"a","customer":"c/d","environment":"prod"}]', /plane 0: customer .* got "c\/d"/],
    [
      '[{"id":"a","customer":"c","environment":"1"}]',
      /plane 0: environment must be a lower-case name/,
    ],
    [
      JSON.stringify([...fleetPlanes(2), fleetPlanes(1)[0]]),
      /plane 2: id "cust-001-prod-01" is listed twice/,
    ],
  ])('refuses the fleet file %s', (text, message) => {
    expect(() => read({}, text)).toThrow(new RegExp(`^FLEET_FILE /fleet.json.*${message.source}`));
  });
});
