package container

// StreamTarget is what a caller outside Go needs to run openssl in the
// engine's container with streamed stdin and stdout (kmsconform runbook's
// generated `openssl` wrapper): the agent's control directory, whose
// "req" FIFO takes job names, or, in docker mode, the container to exec
// into. Jobs written there follow the agent's protocol (see agentScript):
// CONTROL/JOB/run.sh, in, out, err, rc, done; JOB matches [a-z0-9-]+, and
// in and out may be FIFOs, which is how the streams flow.
type StreamTarget struct {
	// Agent is true when the FIFO agent runs (ModeAgent).
	Agent bool
	// ControlDir is the agent's control directory (on a shared root).
	ControlDir string
	// ContainerID is the container, for `docker exec -i` in docker mode.
	ContainerID string
}

// Stream returns the engine's StreamTarget.
func (e *Engine) Stream() StreamTarget {
	return StreamTarget{Agent: e.mode == ModeAgent, ControlDir: e.stdinDir, ContainerID: e.ContainerID()}
}
