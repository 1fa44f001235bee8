import { GitCommandError, runGitCapturing } from './git-command.js';
import { shortCommit } from './git-status.js';

// `--require-signed-commits --git-allowed-signers FILE`: git's own `verify-commit`, with SSH signatures
// (gpg.format=ssh) checked against the allowed-signers file (gpg.ssh.allowedSignersFile, ssh-keygen's
// format). An unsigned commit, or one signed by a key the file does not hold, is refused with the reason;
// git delivery quarantines it. Only the file's path goes into git's arguments, never a key.

export type SignatureVerdict = { ok: true; signer: string } | { ok: false; reason: string };

export async function verifyCommitSignature(options: { repository: string; commit: string; allowedSignersFile: string; signal?: AbortSignal }): Promise<SignatureVerdict> {
  try {
    const { stderr } = await runGitCapturing({
      cwd: options.repository,
      args: ['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${options.allowedSignersFile}`, 'verify-commit', options.commit],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ok: true, signer: signerOf(stderr) };
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    return { ok: false, reason: signatureRefusal(options.commit, error.stderr ?? '') };
  }
}

/** 'Good "git" signature for ops@example.com with ED25519 key SHA256:…' -> 'ops@example.com'. */
export function signerOf(output: string): string {
  return /Good "git" signature for (\S+)/.exec(output)?.[1] ?? 'an allowed key';
}

/** The quarantine reason, from what `git verify-commit` printed (nothing at all: no signature). */
export function signatureRefusal(commit: string, stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) return `commit ${shortCommit(commit)} is not signed (--require-signed-commits)`;
  if (lines.some((line) => line.includes('No principal matched'))) return `commit ${shortCommit(commit)} is signed by a key not in the allowed signers file (--require-signed-commits)`;
  return `commit ${shortCommit(commit)}: signature not verified: ${lines.slice(-2).join('; ')} (--require-signed-commits)`;
}
