"""Development mail, printed to the console so that a person testing locally can read it."""

from django.core.mail.backends.console import EmailBackend

SHOWN_HEADERS = ["From", "To", "Cc", "Reply-To", "Subject", "Date"]


class ReadableConsoleEmailBackend(EmailBackend):
    """Django's console backend prints the raw message, whose quoted-printable encoding breaks
    long links across lines and escapes every curly quote. This one prints the headers a
    person reads and the plain text decoded, each link whole on its line, and names the
    other parts (the HTML version, attachments) without printing them."""

    def write_message(self, message):
        email = message.message()
        lines = [f"{name}: {email[name]}" for name in SHOWN_HEADERS if email[name]]
        lines.append("")
        for part in email.walk():
            if part.is_multipart():
                continue
            if part.get_content_type() == "text/plain" and not part.is_attachment():
                lines.append(part.get_content().rstrip("\n"))
            elif part.is_attachment():
                lines.append(f"[Attached: {part.get_filename()} ({part.get_content_type()})]")
            else:
                lines.append(f"[Also sent as {part.get_content_type()}: not shown here]")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
