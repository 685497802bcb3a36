"""Sentences with misspelt Russian names of several kinds (a slip, German letters, a case ending, a
Ukrainian form, a scheme's spelling, a y/i variant, a lost letter, the rest of a name beside it), for
tests that check two ways of deciding them agree."""

MISSPELT_NAME_TEXTS = [
    "Governor Boharev visited Kirishy and Glazhev on Monday.",
    "Flights from Tscheljabinsk and Jekaterinburg were cancelled.",
    "The mayor of Samare met residents of Bilhorod and Pervomajskij.",
    "In Novorossisk and Viazma, Lodigina street was closed; Kuivashev said so.",
    "Sergiev Possad, Verkhnaya Salda and Nizhni Tagil lie far apart.",
]
