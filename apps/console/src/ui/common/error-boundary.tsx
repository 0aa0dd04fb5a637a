import { Component, type ReactNode } from 'react';

/** A screen that throws while rendering shows its error instead of blanking the whole console. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (this.state.error)
      return (
        <p className="error" role="alert">
          This screen failed: {this.state.error.message}
        </p>
      );
    return this.props.children;
  }
}
