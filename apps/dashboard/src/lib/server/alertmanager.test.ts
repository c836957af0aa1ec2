import { describe, expect, it } from 'vitest';
import { hasIntegration } from './alertmanager.ts';

// Alertmanager's running configuration, as /api/v2/status returns it (config.original).
const withWebhook = `route:
  receiver: outpost
receivers:
- name: outpost
  webhook_configs:
  - send_resolved: true
    url: http://127.0.0.1:9095/alerts
`;
const withNone = `route:
  receiver: outpost
receivers:
- name: outpost
templates: []
`;

describe('hasIntegration', () => {
  it('sees an integration in a receiver', () => {
    expect(hasIntegration(withWebhook)).toBe(true);
    expect(hasIntegration(withWebhook.replace('webhook_configs', 'slack_configs'))).toBe(true);
  });
  it('says when every receiver is empty: alerts go nowhere', () => {
    expect(hasIntegration(withNone)).toBe(false);
  });
});
