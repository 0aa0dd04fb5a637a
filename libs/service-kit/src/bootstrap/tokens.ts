export const SERVICE_CONFIG = Symbol('SparkServiceConfig');
export const LOGGER = Symbol('SparkLogger');
