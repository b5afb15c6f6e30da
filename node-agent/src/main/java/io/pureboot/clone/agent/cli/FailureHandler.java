package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one line on stderr and the documented exit code. Expected failures ({@link AgentException})
 * print their message only; anything else is a bug and prints its type as well, still without a stack trace unless
 * --verbose was given.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        if (exception instanceof AgentException agent) {
            commandLine.getErr().println("pureboot-agent: " + agent.kind().code() + ": " + oneLine(agent.getMessage()));
            return agent.kind().exitCode();
        }
        commandLine.getErr().println("pureboot-agent: " + FailureKind.INTERNAL.code() + ": "
                + exception.getClass().getName() + ": " + oneLine(String.valueOf(exception.getMessage())));
        for (ParseResult result = parseResult; result != null; result = result.subcommand()) {
            if (result.hasMatchedOption("--verbose")) {
                exception.printStackTrace(commandLine.getErr());
                break;
            }
        }
        return FailureKind.INTERNAL.exitCode();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\n\\s*", "; ").strip();
    }
}
