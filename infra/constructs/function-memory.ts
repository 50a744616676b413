// Every function's memory unless it asks for more. Lambda gives CPU in proportion to memory, so this is
// also each worker's share of a vCPU (bench/scale.ts holds its workers to it). Apart from
// signpost-function.ts so that the bench reads it without loading CDK.
export const FUNCTION_MEMORY_MB = 512;
