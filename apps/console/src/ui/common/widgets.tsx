import { SparkApiError } from '@spark/client';
import { type ButtonHTMLAttributes, type ReactNode, useEffect, useRef, useState } from 'react';

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge status-${status.toLowerCase()}`}>{status.toLowerCase().replace(/_/g, ' ')}</span>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof SparkApiError || error instanceof Error ? error.message : String(error);
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}

/** A button whose action the key's scope may forbid: disabled, with the reason as its title. */
export function ActionButton({
  allowed,
  reason,
  children,
  ...rest
}: {
  allowed: boolean;
  reason?: string | undefined;
  children: ReactNode;
} & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button {...rest} disabled={!allowed || rest.disabled} title={allowed ? rest.title : reason}>
      {children}
    </button>
  );
}

/** What the API takes as a reason (REASON_MAX_LENGTH in the gateway). */
export const REASON_MAX_LENGTH = 500;

/**
 * Asks before an action changes something. With `reason`, a text field whose value goes to `onConfirm`
 * (recorded with the command where the API takes one).
 */
export function ConfirmDialog({
  title,
  body,
  reason,
  reasonMaxLength = REASON_MAX_LENGTH,
  confirmLabel,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  body?: ReactNode;
  reason?: boolean;
  reasonMaxLength?: number;
  confirmLabel: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
  children?: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(text.trim());
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <dialog ref={dialog} className="confirm" onClose={onClose} aria-label={title}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void confirm();
        }}
      >
        <h2>{title}</h2>
        {body}
        {children}
        {reason ? (
          <label>
            Reason <span className="muted">(optional, at most {reasonMaxLength} characters)</span>
            <textarea
              name="reason"
              value={text}
              maxLength={reasonMaxLength}
              onChange={(event) => setText(event.target.value)}
              rows={2}
            />
          </label>
        ) : null}
        <ErrorNote error={error} />
        <div className="row">
          <button type="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    // Focusable: a long value scrolls, and the keyboard must reach it.
    <pre className="json" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2) ?? 'undefined'}
    </pre>
  );
}
