/**
 * Where the Docker Engine API is, from `driver.host` or `DOCKER_HOST` (docker's own default:
 * `/var/run/docker.sock`). A host the API client cannot reach itself (`ssh://`, an unknown
 * scheme) leaves everything to the compose CLI, which knows how to get there.
 */
export type DockerHost =
  | { readonly kind: 'unix'; readonly socketPath: string; readonly text: string }
  | { readonly kind: 'tcp'; readonly origin: string; readonly text: string }
  | { readonly kind: 'cli'; readonly text: string; readonly why: string };

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export function parseDockerHost(text: string | undefined): DockerHost {
  const host = text === undefined || text === '' ? DEFAULT_DOCKER_HOST : text;
  if (host.startsWith('unix://'))
    return { kind: 'unix', socketPath: host.slice('unix://'.length), text: host };
  if (host.startsWith('tcp://')) {
    try {
      const url = new URL(`http://${host.slice('tcp://'.length)}`);
      // TLS needs docker's client certificates (DOCKER_CERT_PATH): the CLI handles that.
      if (url.port === '2376') return { kind: 'cli', text: host, why: 'port 2376 is docker over TLS' };
      return { kind: 'tcp', origin: url.origin, text: host };
    } catch {
      return { kind: 'cli', text: host, why: 'not a host:port' };
    }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(host)?.[1];
  return { kind: 'cli', text: host, why: `the Engine API client does not speak ${scheme ?? 'this address'}` };
}
