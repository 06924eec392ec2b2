import { Dialog } from '../../../components/dialog';
import type { Me } from '../api/get-me';
import { TokensSection } from './tokens-section';
import { TwoFactorSection } from './two-factor-section';

/** One's own account security: two-factor sign-in and personal API tokens. */
export function SecurityDialog({ me, onClose }: { me: Me; onClose: () => void }) {
  return (
    <Dialog title="Security and API tokens" onClose={onClose} wide className="security">
      <TwoFactorSection username={me.username} />
      <TokensSection twoFactorEnabled={me.twoFactorEnabled} />
    </Dialog>
  );
}
