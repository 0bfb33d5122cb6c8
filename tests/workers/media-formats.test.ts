// The pure parts of media handling: format by magic bytes, dimensions from headers, and address classification.
import { describe, expect, it } from 'vitest'
import { isForbiddenAddress, parseIpv6 } from '../../workers/media/addresses'
import { imageDimensions, sniffImageFormat } from '../../workers/media/formats'
import { avifHeader, jpegImage, pngImage, SVG_BYTES, WEBP_LOSSLESS_1X1, WEBP_LOSSY_1X1, webpHeader, ZIP_BYTES } from '../helpers/image-fixtures'

describe('image formats', () => {
  it('recognises each format by content and reads its dimensions from the header', () => {
    const cases = [
      { bytes: pngImage(3, 2), format: 'png', size: { width: 3, height: 2 } },
      { bytes: jpegImage(17, 9), format: 'jpeg', size: { width: 17, height: 9 } },
      { bytes: WEBP_LOSSY_1X1, format: 'webp', size: { width: 1, height: 1 } },
      { bytes: WEBP_LOSSLESS_1X1, format: 'webp', size: { width: 1, height: 1 } },
      { bytes: webpHeader(4000, 7999), format: 'webp', size: { width: 4000, height: 7999 } },
      { bytes: avifHeader(1200, 800), format: 'avif', size: { width: 1200, height: 800 } },
    ] as const
    for (const { bytes, format, size } of cases) {
      expect(sniffImageFormat(bytes)).toBe(format)
      expect(imageDimensions(bytes, format)).toEqual(size)
    }
  })

  it('refuses SVG, archives and empty input, and reports a truncated header as unreadable', () => {
    expect(sniffImageFormat(SVG_BYTES)).toBeUndefined()
    expect(sniffImageFormat(ZIP_BYTES)).toBeUndefined()
    expect(sniffImageFormat(new Uint8Array())).toBeUndefined()
    expect(imageDimensions(pngImage(3, 2).subarray(0, 20), 'png')).toBeUndefined()
    expect(imageDimensions(jpegImage(8, 8).subarray(0, 30), 'jpeg')).toBeUndefined()
    expect(imageDimensions(avifHeader(10, 10).subarray(0, 40), 'avif')).toBeUndefined()
  })
})

describe('address classification', () => {
  it('refuses loopback, private, link-local, CGNAT, metadata and IPv4 wrapped in IPv6', () => {
    const forbidden = [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::',
      'fd00:ec2::254',
      'fc00::1',
      'fe80::1%eth0',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      '64:ff9b::a00:1',
      '2002:7f00:1::',
      'not an address',
    ]
    const allowed = ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '64:ff9b::808:808']
    expect(forbidden.filter((a) => !isForbiddenAddress(a))).toEqual([])
    expect(allowed.filter((a) => isForbiddenAddress(a))).toEqual([])
  })

  it('parses compressed IPv6 and trailing dotted quads', () => {
    expect(parseIpv6('::1')).toBe(1n)
    expect(parseIpv6('[::ffff:127.0.0.1]')).toBe(0xffff7f000001n)
    expect(parseIpv6('1::2::3')).toBeUndefined()
    expect(parseIpv6('1:2:3:4:5:6:7:8:9')).toBeUndefined()
  })
})
