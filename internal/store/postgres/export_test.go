package postgres

// SequenceLockID is the sequencer's advisory lock, for tests that hold it.
const SequenceLockID = sequenceLockID
