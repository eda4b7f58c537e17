//! The command line's own words in the officer's language: the about and help text of every
//! command and argument from the catalogue (`help.ftl`), the help's headings, and the
//! argument parser's errors.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};

use crate::message::{self, Language, Message};
use crate::msg;

/// The command with every text a person reads taken from the catalogue. The command is
/// built first, so that the arguments and the `help` subcommand clap adds are there to be
/// translated too.
pub(super) fn localized(mut command: Command) -> Command {
    command.build();
    localize(command, None)
}

fn localize(command: Command, parent: Option<&str>) -> Command {
    let name = command.get_name().to_owned();
    let about_id = match parent {
        None => "help_datavalley".to_owned(),
        Some(_) => format!("help_{name}"),
    };
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        msg!("help_usage_heading")
    );
    let mut command = command
        .about(text(&about_id))
        .long_about(None)
        .help_template(template)
        .subcommand_help_heading(msg!("help_commands_heading").to_string())
        .subcommand_value_name(msg!("help_command_value").to_string())
        .after_help(msg!("help_exit_codes").to_string())
        .after_long_help(None);
    let command_name = name.clone();
    command = command.mut_args(move |arg| localize_arg(arg, &command_name));
    // clap writes the options of a usage line as `[OPTIONS]` in any language.
    let usage = command.render_usage().to_string();
    let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
    let options = msg!("help_options_value").to_string();
    command = command.override_usage(usage.replace("[OPTIONS]", &options));
    command.mut_subcommands(|sub| localize(sub, Some(&name)))
}

fn localize_arg(arg: Arg, command: &str) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let mut help = text(&arg_help_id(command, &id));
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_owned())
        .collect();
    if !possible.is_empty() {
        let values = possible.join(", ");
        help.push_str(&format!(
            " {}",
            msg!("help_possible_values", values = values)
        ));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_num_args().is_none_or(|n| n.takes_values()) {
        let value = defaults.join(",");
        help.push_str(&format!(" {}", msg!("help_default_value", value = value)));
    }
    let heading = match arg.is_positional() {
        true => msg!("help_arguments_heading"),
        false => msg!("help_options_heading"),
    };
    arg.help(help)
        .long_help(None)
        .hide_possible_values(true)
        .hide_default_value(true)
        .help_heading(heading.to_string())
}

/// The id of an argument's help: its own for this command (`help_run_force`), or the one
/// shared by every command that has the argument (`help_arg_output_dir`).
pub(super) fn arg_help_id(command: &str, arg: &str) -> String {
    let own = format!("help_{command}_{arg}");
    match message::has_message(Language::Italian, &own) {
        true => own,
        false => format!("help_arg_{arg}"),
    }
}

fn text(id: &str) -> String {
    Message::new(id, Vec::new()).to_string()
}

/// The parser's error in the officer's language, with the usage of the command it is about;
/// `None` for the kinds clap words well enough in any language (help, version).
pub(super) fn parse_error(error: &clap::Error) -> Option<String> {
    let message = error_message(error)?;
    let mut text = format!("{}: {message}", msg!("severity_error"));
    if let Some(hint) = suggestion(error) {
        text.push_str(&format!(
            "; {}",
            msg!("usage_suggestion", suggestion = hint)
        ));
    }
    if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
        text.push_str(&format!("\n\n{} {usage}", msg!("help_usage_heading")));
    }
    text.push_str(&format!("\n\n{}", msg!("usage_more")));
    Some(text)
}

fn error_message(error: &clap::Error) -> Option<Message> {
    let argument = context_text(error, ContextKind::InvalidArg);
    let value = context_text(error, ContextKind::InvalidValue);
    Some(match error.kind() {
        ErrorKind::UnknownArgument => msg!("usage_unknown_argument", argument = argument),
        ErrorKind::InvalidSubcommand => {
            let command = context_text(error, ContextKind::InvalidSubcommand);
            msg!("usage_unknown_command", command = command)
        }
        ErrorKind::InvalidValue => {
            let valid = context_text(error, ContextKind::ValidValue);
            match valid.is_empty() {
                true => msg!("usage_missing_value", argument = argument),
                false => msg!(
                    "usage_invalid_value",
                    argument = argument,
                    value = value,
                    valid = valid
                ),
            }
        }
        ErrorKind::MissingRequiredArgument => msg!("usage_missing_argument", argument = argument),
        ErrorKind::ArgumentConflict => {
            let prior = context_text(error, ContextKind::PriorArg);
            msg!("usage_conflict", argument = argument, prior = prior)
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            msg!("usage_missing_command")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            msg!("usage_number_of_values", argument = argument)
        }
        ErrorKind::NoEquals => msg!("usage_no_equals", argument = argument),
        ErrorKind::ValueValidation => {
            msg!(
                "usage_invalid_value_plain",
                argument = argument,
                value = value
            )
        }
        _ => return None,
    })
}

fn suggestion(error: &clap::Error) -> Option<String> {
    [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(|kind| context_text(error, kind))
    .find(|text| !text.is_empty())
}

/// A context value of the error as text: one string, or several joined by commas.
fn context_text(error: &clap::Error, kind: ContextKind) -> String {
    match error.get(kind) {
        Some(ContextValue::String(text)) => text.clone(),
        Some(ContextValue::Strings(texts)) => texts.join(", "),
        Some(ContextValue::StyledStr(text)) => text.to_string(),
        Some(ContextValue::StyledStrs(texts)) => texts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    /// Every id of `help.ftl` a command or an argument of the command line asks for.
    fn ids_asked(command: &Command, parent: Option<&str>, ids: &mut BTreeSet<String>) {
        let name = command.get_name();
        ids.insert(match parent {
            None => "help_datavalley".to_owned(),
            Some(_) => format!("help_{name}"),
        });
        for arg in command.get_arguments() {
            ids.insert(arg_help_id(name, arg.get_id().as_str()));
        }
        for sub in command.get_subcommands() {
            ids_asked(sub, Some(name), ids);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_help_in_both_languages() {
        let mut command = Cli::command();
        command.build();
        let mut asked = BTreeSet::new();
        ids_asked(&command, None, &mut asked);
        for id in &asked {
            for language in Language::ALL {
                assert!(
                    message::has_message(language, id),
                    "{language:?} lacks `{id}`"
                );
            }
        }
        let headings = [
            "help_usage_heading",
            "help_options_value",
            "help_commands_heading",
            "help_command_value",
            "help_exit_codes",
            "help_possible_values",
            "help_default_value",
            "help_arguments_heading",
            "help_options_heading",
        ];
        let (_, italian, _) = message::CATALOGUE
            .iter()
            .find(|(area, _, _)| *area == "help")
            .copied()
            .unwrap_or_default();
        let defined = italian
            .lines()
            .filter(|line| !line.starts_with([' ', '#']))
            .filter_map(|line| line.split_once('='));
        for (id, _) in defined {
            {
                let id = id.trim();
                assert!(
                    asked.contains(id) || headings.contains(&id),
                    "help.ftl: `{id}` is asked for by no command or argument"
                );
            }
        }
    }
}
