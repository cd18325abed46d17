export const MIKRO_ORM = Symbol('MIKRO_ORM');
