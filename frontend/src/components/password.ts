/**
 * The password rule of self-service changes (features §2.4, kept): at least
 * 8 characters with a lower-case letter, an upper-case letter and a digit.
 * The server checks the same; this only answers sooner.
 */
export function passwordProblem(pw: string): 'passwordShort' | 'passwordWeak' | null {
  if (pw.length < 8) return 'passwordShort'
  if (!/[a-z]/.test(pw) || !/[A-Z]/.test(pw) || !/\d/.test(pw)) return 'passwordWeak'
  return null
}
