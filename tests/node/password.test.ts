// Password hashes: PBKDF2-SHA256 with a per-user salt and the cost stored beside the hash.
import { describe, expect, it } from 'vitest'
import { hashPassword, PBKDF2_ITERATIONS, verifyPassword } from '../../workers/lib/password'

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple')
    expect(stored.startsWith(`pbkdf2-sha256$${PBKDF2_ITERATIONS}$`)).toBe(true)
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false)
  })

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'))
  })

  it('rejects malformed or out-of-range stored hashes instead of throwing', async () => {
    for (const stored of ['', 'plain', 'md5$1$a$b', `pbkdf2-sha256$${PBKDF2_ITERATIONS + 1}$AAAA$AAAA`, 'pbkdf2-sha256$0$AAAA$AAAA']) {
      expect(await verifyPassword('x', stored)).toBe(false)
    }
  })
})
