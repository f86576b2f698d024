/** The Q-tables screen's comparison of two tables: shared with `aisle qtable` (src/shared/qtable-compare.ts), so both give one table the same numbers. */
export * from '../../../shared/qtable-compare';
