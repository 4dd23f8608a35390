"""Step 6: adds /number_odd_or_even/<int:n>, <H1>Number: n is even|odd</H1>."""
from web_flask.factory import create_app, run
from web_flask.text_routes import number_odd_or_even, through

app = create_app(*through(number_odd_or_even))

if __name__ == "__main__":
    run(app)
