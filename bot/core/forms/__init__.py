"""Forms as data: the schema (:mod:`.schema`), conditions, and the YAML loader."""

from bot.core.forms.loader import FormError, load_forms
from bot.core.forms.schema import Form, Question, QuestionType

__all__ = ["Form", "FormError", "Question", "QuestionType", "load_forms"]
