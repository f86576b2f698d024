/** Off-policy evaluation on logged bandit feedback: the data, target policies and estimators. */
export { checkLoggedBandit, describeWhere, holdoutRows, labelOrder, MAX_POLICY_CELLS, rows, selectRows, type LoggedBandit, type LoggedRows } from './data';
export { fitSimulator, logsToMdp, NO_CONTEXT_STATE, rewardModel, SIMULATOR_AGENT, simulatorEpisodes, simulatorExperiment, SIMULATOR_SEEDS, type LogsMdp, type LogsMdpOptions, type SimulatorFit, type SimulatorSource } from './simulator';
export { evaluateOffPolicy, offPolicyWarnings, OPE_ESTIMATORS, type OffPolicyDiagnostics, type OffPolicyOptions, type OffPolicyReport, type OpeEstimator } from './estimators';
export { deterministicTarget, empiricalTarget, targetFromDistributions, uniformTarget, type ActionDistributions, type TargetPolicy } from './targets';
export { parseLogLines, parseLogLinesToFit, type LogColumns, type ReadLogRows, type ReadLogs, type ReadLogsOptions } from './csv';
export { evaluateTargets, policyTarget, targetSpecText, type OffPolicyRun, type TargetResult, type TargetSpec } from './run';
