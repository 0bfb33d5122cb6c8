// A local stand-in for the Hugging Face hub: `/<repo>/resolve/main/<file>` redirects to a CDN-like path serving the bytes.
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize } from 'node:path'

export interface HubServer {
  url: string
  requests: string[]
  close: () => Promise<void>
}

/** Serves the files of `dir` as the hub serves a repository (302 to the file store, Content-Length set). */
export async function startHubServer(repo: string, dir: string): Promise<HubServer> {
  const requests: string[] = []
  const resolvePrefix = `/${repo}/resolve/main/`
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://hub').pathname)
    requests.push(path)
    if (path.startsWith(resolvePrefix)) {
      res.writeHead(302, { Location: `/cdn/${path.slice(resolvePrefix.length)}` }).end()
      return
    }
    const file = join(dir, normalize(path.replace(/^\/cdn\//, '')))
    if (!path.startsWith('/cdn/') || !file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Entry not found')
      return
    }
    res.writeHead(200, { 'Content-Length': statSync(file).size, 'Content-Type': 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
