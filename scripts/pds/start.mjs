// Starts a PLC directory and the reference Bluesky PDS on 127.0.0.1, on free
// ports, with a fresh data folder, for the real-server tests of
// poster/bluesky. When both are ready it prints one line to stdout:
//
//   ready {"pds":"http://127.0.0.1:PORT","plc":"http://127.0.0.1:PORT"}
//
// It stops (and removes its data) when stdin closes or on SIGTERM/SIGINT.
// Run it with the Node that install.sh set up:
//
//   DIR=$(scripts/pds/install.sh) && "$DIR/bin/node" scripts/pds/start.mjs "$DIR"
//
// PDS_JWT_SECRET may be set by the caller (tests sign tokens with it);
// everything else is generated.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dir = process.argv[2] || process.env.ITSECBOT_PDS_DIR
if (!dir) {
  console.error('usage: start.mjs INSTALL_DIR (the folder install.sh printed)')
  process.exit(2)
}
const require = createRequire(join(dir, 'app', 'package.json'))
const load = (name) => import(pathToFileURL(require.resolve(name)).href)

// freePort asks the kernel for a port that is free on loopback now.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

// onLoopback makes an express app listen on 127.0.0.1 only (both servers
// listen on every interface by default).
function onLoopback(app) {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) => listen(port, '127.0.0.1', ...rest)
}

// secp256k1Hex returns a new secp256k1 private key as 64 hex digits.
function secp256k1Hex() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
  return Buffer.from(privateKey.export({ format: 'jwk' }).d, 'base64url').toString('hex')
}

const data = await mkdtemp(join(tmpdir(), 'itsecbot-pds-'))
let stopping = false

// stop exits at once: both servers keep everything in memory or in the
// data folder, which is thrown away, so there is nothing to shut down
// gracefully.
async function stop(code) {
  if (stopping) return
  stopping = true
  await rm(data, { recursive: true, force: true })
  process.exit(code)
}
process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))
process.stdin.on('end', () => stop(0))
process.stdin.on('close', () => stop(0))
process.stdin.resume()

try {
  const { PlcServer, Database } = await load('@did-plc/server')
  const plcPort = await freePort()
  const plc = PlcServer.create({ db: Database.mock(), port: plcPort })
  onLoopback(plc.app)
  await plc.start()

  const pdsPort = await freePort()
  Object.assign(process.env, {
    PDS_HOSTNAME: 'localhost',
    PDS_PORT: String(pdsPort),
    PDS_DEV_MODE: 'true', // allows http URLs
    PDS_DATA_DIRECTORY: data,
    PDS_BLOBSTORE_DISK_LOCATION: join(data, 'blobs'),
    PDS_JWT_SECRET: process.env.PDS_JWT_SECRET || randomBytes(16).toString('hex'),
    PDS_ADMIN_PASSWORD: randomBytes(16).toString('hex'),
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: secp256k1Hex(),
    PDS_DID_PLC_URL: `http://localhost:${plcPort}`, // the PDS refuses IP addresses here
    PDS_INVITE_REQUIRED: 'false',
    PDS_CRAWLERS: '',
    PDS_RATE_LIMITS_ENABLED: 'true', // real RateLimit-* headers
    LOG_ENABLED: process.env.LOG_ENABLED || 'false',
  })
  const { PDS, readEnv, envToCfg, envToSecrets } = await load('@atproto/pds')
  const env = readEnv()
  const pds = await PDS.create(envToCfg(env), envToSecrets(env))
  onLoopback(pds.app)
  await pds.start()
  const urls = { pds: `http://127.0.0.1:${pdsPort}`, plc: `http://127.0.0.1:${plcPort}` }
  process.stdout.write(`ready ${JSON.stringify(urls)}\n`)
} catch (err) {
  console.error('start.mjs:', err)
  await stop(1)
}
