/**
 * PortOne v1 `card_code` → `card_name` for the cards the sandbox issues. From memory of the
 * iamport docs' card-code table (not checked against the live API); unknown codes get a generic name.
 */
export const PORTONE_CARD_NAMES: Readonly<Record<string, string>> = {
  '361': 'BC카드',
  '364': '광주카드',
  '365': '삼성카드',
  '366': '신한카드',
  '367': '현대카드',
  '368': '롯데카드',
  '369': '수협카드',
  '370': '씨티카드',
  '371': 'NH카드',
  '372': '전북카드',
  '373': '제주카드',
  '374': '하나SK카드',
  '381': 'KB국민카드',
  '041': '우리카드',
  '071': '우체국카드',
};

export const DEFAULT_CARD_CODE = '366';

export function portoneCardName(code: string): string {
  return PORTONE_CARD_NAMES[code] ?? '기타카드';
}
