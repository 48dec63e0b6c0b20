"""Maria reads RIDE's insights: totals, charts drawn on the server with their tables, the definitions, one rep's
numbers; the demo's contacts are counted into the roll-ups by the server on its own."""
from datetime import date, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import screenshot, submitted
from test_customer_search import sign_in


def tile(browser, label: str) -> str:
    for item in browser.find_elements(By.CSS_SELECTOR, "#insight-totals div"):
        if item.find_element(By.TAG_NAME, "dt").text == label:
            return item.find_element(By.TAG_NAME, "dd").text
    raise AssertionError(f"no tile {label}")


def test_maria_reads_the_dashboard_and_one_reps_numbers(browser, server):
    browser.delete_all_cookies()
    sign_in(browser, server, "maria@daymaker.test")
    start = (date.today() - timedelta(days=89)).isoformat()
    url = f"{server}/insights?program=RIDE&from={start}&to={date.today().isoformat()}"

    def counted(driver):
        # The roll-ups are counted every 10 seconds after the server starts.
        driver.get(url)
        return int(tile(driver, "Contacts")) > 0

    WebDriverWait(browser, 30, poll_frequency=2).until(counted)
    assert tile(browser, "Service level").endswith("%")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 2
    assert charts[0].get_attribute("role") == "img"
    assert charts[0].find_elements(By.CSS_SELECTOR, "rect[class^=series-]")
    days = browser.find_element(By.CSS_SELECTOR, "#table-days table")
    assert days.find_element(By.TAG_NAME, "caption").text.startswith("By day")
    assert len(days.find_elements(By.CSS_SELECTOR, "tbody tr")) > 1
    csv = browser.find_element(By.CSS_SELECTOR, "#table-reps caption a")
    assert csv.get_attribute("href").startswith(f"{server}/insights/reps.csv?program=RIDE&from={start}")
    terms = [dt.text for dt in browser.find_elements(By.CSS_SELECTOR, "#insight-definitions dt")]
    assert "First-contact resolution" in terms
    screenshot(browser, "insights")

    in_table = [row.find_element(By.TAG_NAME, "td").text
                for row in browser.find_elements(By.CSS_SELECTOR, "#table-reps tbody tr")]
    choices = Select(browser.find_element(By.ID, "insight-rep"))
    first_rep = next(option.text for option in choices.options if option.text in in_table)
    choices.select_by_visible_text(first_rep)
    with submitted(browser):
        browser.find_element(By.CSS_SELECTOR, "#insight-range button[type=submit]").click()
    assert "rep=" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#table-reps tbody tr")
    assert [row.find_element(By.TAG_NAME, "td").text for row in rows] == [first_rep]
