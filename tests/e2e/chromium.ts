// Finds the Chromium the browser tests drive: CHROMIUM_PATH when set, else the headless build that `npm install`
// brings in @sparticuz/chromium (unpacked once into the temp folder), so `npm test` needs no system browser.
import { access, constants } from 'node:fs/promises'
import { arch, platform } from 'node:os'

const HOW_TO_GET_ONE =
  'Set CHROMIUM_PATH to a Chromium or Chrome binary (Debian/Ubuntu: `apt-get install chromium`, then CHROMIUM_PATH=/usr/bin/chromium; ' +
  'macOS: CHROMIUM_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome").'

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  )
}

/** The path of a runnable Chromium; throws a message that says how to get one when there is none. */
export async function resolveChromium(): Promise<string> {
  const given = process.env.CHROMIUM_PATH
  if (given) {
    if (await executable(given)) return given
    throw new Error(`CHROMIUM_PATH=${given} is not an executable file. ${HOW_TO_GET_ONE}`)
  }
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new Error(`The bundled headless Chromium (@sparticuz/chromium) runs on Linux x64 only, not ${platform()} ${arch()}. ${HOW_TO_GET_ONE}`)
  }
  try {
    const { default: bundled } = await import('@sparticuz/chromium')
    const path = await bundled.executablePath()
    if (await executable(path)) return path
    throw new Error(`${path} is not executable`)
  } catch (error) {
    throw new Error(`The bundled headless Chromium could not be unpacked (${error instanceof Error ? error.message : String(error)}). ${HOW_TO_GET_ONE}`, { cause: error })
  }
}
