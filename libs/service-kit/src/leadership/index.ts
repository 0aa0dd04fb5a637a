export * from './advisory-lock-leadership';
