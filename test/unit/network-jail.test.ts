// The tests' network jail (test/network-jail.ts): nothing a test runs reaches beyond this machine.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

describe('the network jail of the tests', () => {
  it.each(['10.0.0.1', '169.254.169.254', '93.184.216.34'])('refuses to connect to %s', async (host) => {
    await expect(fetch(`http://${host}/`, { signal: AbortSignal.timeout(5_000) })).rejects.toMatchObject({
      cause: { code: 'ENETJAIL' },
    });
  });

  it('lets a test reach a server on loopback', async () => {
    // Arrange
    const server = createServer((socket) => socket.end('HTTP/1.1 204 No Content\r\n\r\n')).listen(
      0,
      '127.0.0.1',
    );
    await once(server, 'listening');
    const { port } = server.address() as { port: number };

    try {
      // Act
      const response = await fetch(`http://127.0.0.1:${port}/`);

      // Assert
      expect(response.status).toBe(204);
    } finally {
      server.close();
    }
  });
});
