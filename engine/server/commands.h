// The server's commands on the command line: `ppko serve`, `ppko user add|passwd|list`,
// `ppko municipality add|list`. Passwords are read from standard input (one line) or, on a
// terminal, asked for twice without echo — never taken from the command line, where other users
// of the machine could see them in the process list.
#pragma once

#include <optional>

namespace ppko::server {

// Runs the command when argv[1] names one of them and returns its exit code; nullopt for any other
// command (main goes on with its own). Errors are thrown as ppko::Error, as main expects.
std::optional<int> run_server_command(int argc, char** argv);

// The lines main's --help lists for these commands.
extern const char* const kServerCommandsUsage;
extern const char* const kServerCommandsSummary;

}  // namespace ppko::server
