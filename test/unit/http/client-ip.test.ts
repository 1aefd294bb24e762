// Which address per-IP limits count (API.md, Settings): the platform's, X-Forwarded-For only when told.
import { describe, expect, it } from 'vitest';
import { clientIpFrom, normalizeIp } from '../../../src/http/client-ip.ts';

const headers = (init: Record<string, string>) => new Headers(init);

describe('client IP', () => {
  it('takes the platform address and ignores X-Forwarded-For unless TRUST_PROXY', () => {
    const spoofed = headers({ 'x-forwarded-for': '198.51.100.7' });
    expect(clientIpFrom(spoofed, false, '203.0.113.5')).toBe('203.0.113.5');
    expect(clientIpFrom(spoofed, false, undefined)).toBe('unknown');
  });

  it('with TRUST_PROXY takes the last X-Forwarded-For entry: the address our proxy saw', () => {
    const chain = headers({ 'x-forwarded-for': '10.0.0.1, 198.51.100.7 , 203.0.113.9' });
    expect(clientIpFrom(chain, true, '10.1.1.1')).toBe('203.0.113.9');
    expect(clientIpFrom(headers({}), true, '10.1.1.1')).toBe('10.1.1.1');
  });

  it('counts IPv6 clients per /64 and unwraps IPv4-mapped addresses', () => {
    expect(normalizeIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3:8d3::/64');
    expect(normalizeIp('2001:DB8:85A3:08D3::1')).toBe('2001:db8:85a3:8d3::/64');
    expect(normalizeIp('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(normalizeIp('[2001:db8::1]:443')).toBe('2001:db8:0:0::/64');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(normalizeIp('::1')).toBe('0:0:0:0::/64');
    expect(normalizeIp('::ffff:192.0.2.10')).toBe('192.0.2.10');
  });

  it('keeps IPv4 as it is, drops a port, and bounds anything else', () => {
    expect(normalizeIp('192.0.2.10')).toBe('192.0.2.10');
    expect(normalizeIp('192.0.2.10:5555')).toBe('192.0.2.10');
    expect(normalizeIp('1:2:3')).toBe('1:2:3');
    expect(normalizeIp('x'.repeat(500))).toHaveLength(64);
  });
});
